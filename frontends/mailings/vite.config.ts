import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { defineMicrofrontendConfig } from '@kartoteka/frontend-tooling/vite-app';

export default defineConfig(defineMicrofrontendConfig({ name: 'mailings', root: fileURLToPath(new URL('.', import.meta.url)) }));
