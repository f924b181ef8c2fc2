import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { defineMicrofrontendConfig } from '@kartoteka/frontend-tooling/vite-app';

/** The sample bank statement of the demo (services/finance/demo), served as /apps/finance/sample-statement.txt. */
const SAMPLE_STATEMENT = fileURLToPath(new URL('../../services/finance/demo/sample-statement.txt', import.meta.url));

const sampleStatement = (): Plugin => ({
  name: 'kartoteka:finance-sample-statement',
  apply: 'build',
  generateBundle() {
    // the import page links to it: a build without it would ship a broken link
    if (!existsSync(SAMPLE_STATEMENT)) this.error(`no sample statement at ${SAMPLE_STATEMENT}`);
    this.emitFile({ type: 'asset', fileName: 'sample-statement.txt', source: readFileSync(SAMPLE_STATEMENT) });
  },
});

const config = defineMicrofrontendConfig({ name: 'finance', root: fileURLToPath(new URL('.', import.meta.url)) });

export default defineConfig({ ...config, plugins: [...(config.plugins ?? []), sampleStatement()] });
