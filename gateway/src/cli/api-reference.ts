import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiSchemaOf, CHANGELOG_PATH, printApiSchema } from '../schema-check';
import { SUPERGRAPH_PATH } from '../supergraph-path';

/**
 * Builds the partner API reference (SpectaQL, one static HTML file) from the API of the committed supergraph into
 * dist/api-reference/, with the schema changelog and the partner guide beside it; the portal serves the folder at
 * /api-reference/. Part of the gateway's build.
 */
const ROOT = join(__dirname, '..', '..');
const TARGET = join(ROOT, 'dist', 'api-reference');
const work = mkdtempSync(join(tmpdir(), 'kartoteka-api-reference-'));

try {
  const schemaFile = join(work, 'schema.graphql');
  writeFileSync(schemaFile, printApiSchema(apiSchemaOf(readFileSync(SUPERGRAPH_PATH, 'utf8'))));
  const description = [
    'The public GraphQL API of Kartoteka, the CRM for B2B counterparties on an EDMS: one endpoint, the gateway.',
    '',
    'Read the [partner guide](partner-guide.md) first (API keys and scopes, pagination, errors, rate limits, safe retries),',
    'and the [schema changelog](CHANGELOG.md) for every change of the API.',
  ].join('\n');
  const config = [
    'spectaql:',
    `  targetDir: ${JSON.stringify(TARGET)}`,
    '  oneFile: true',
    '  embeddable: false',
    // descriptions quote mailing placeholders such as {{contact.name}}: shown as written, not SpectaQL references
    '  errorOnInterpolationReferenceNotFound: false',
    'introspection:',
    `  schemaFile: ${JSON.stringify(schemaFile)}`,
    'info:',
    '  title: Kartoteka API reference',
    `  description: ${JSON.stringify(description)}`,
    'servers:',
    // the gateway of this install; SpectaQL wants an absolute URL and only shows it
    '  - url: https://kartoteka.example/graphql',
    '    description: The gateway of your installation (POST /graphql)',
    '    production: true',
    '',
  ].join('\n');
  const configFile = join(work, 'spectaql.yml');
  writeFileSync(configFile, config);
  rmSync(TARGET, { recursive: true, force: true });
  mkdirSync(TARGET, { recursive: true });
  const binary = join(ROOT, 'node_modules', '.bin', 'spectaql');
  // its theme's Sass deprecation warnings are noise: shown only when it fails
  const result = spawnSync(binary, [configFile, '--quiet'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`${result.stdout}\n${result.stderr}\nspectaql failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
  copyFileSync(CHANGELOG_PATH, join(TARGET, 'CHANGELOG.md'));
  copyFileSync(join(ROOT, 'docs', 'partner-guide.md'), join(TARGET, 'partner-guide.md'));
  console.log(`API reference: ${join(TARGET, 'index.html')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
