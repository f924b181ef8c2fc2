import { defineConfig } from 'vite';

// The utility module is loaded once through the import map; its own dependencies that are
// shared modules (@apollo/client/core, single-spa) stay external so every app sees one instance.
export default defineConfig({
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'portal-api.js' },
    rolldownOptions: {
      external: ['@apollo/client/core', 'single-spa'],
      // Vite keeps whitespace in ES library builds; this module is served as is, so minify fully.
      output: { minify: true, comments: false },
    },
  },
});
