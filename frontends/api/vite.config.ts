import { defineConfig } from 'vite';
import { isSharedModule } from '@kartoteka/frontend-tooling/externals';
import { moduleGraph } from '@kartoteka/frontend-tooling/module-graph';

// The utility module is loaded once through the import map, as two entries: the core
// (@kartoteka/portal-api) and its Vue side (@kartoteka/portal-api/vue, which imports the core by
// name). Every shared module stays external so every app sees one instance.
export default defineConfig({
  // modules.json: what each entry imports, for the portal server's preload list
  plugins: [moduleGraph()],
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    lib: {
      entry: { 'portal-api': 'src/index.ts', 'portal-api-vue': 'src/vue/index.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: (id) => isSharedModule(id),
      // Vite keeps whitespace in ES library builds; this module is served as is, so minify fully.
      output: { minify: true, comments: false },
    },
  },
});
