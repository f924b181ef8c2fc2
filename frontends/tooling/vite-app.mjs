import vue from '@vitejs/plugin-vue';
import { isSharedModule, naiveUiExports } from './externals.mjs';
import { moduleGraph } from './module-graph.mjs';

const CSS_FILE = /\.css$/;

/**
 * Library builds emit CSS as a separate file; a microfrontend is loaded as one ES module, so its
 * (scoped) CSS is moved into the entry chunk and added to <head> once when the module is evaluated.
 */
const injectCssIntoEntry = (name) => ({
  name: 'kartoteka:inject-css',
  apply: 'build',
  enforce: 'post',
  generateBundle(_options, bundle) {
    const cssAssets = Object.values(bundle).filter((file) => file.type === 'asset' && CSS_FILE.test(file.fileName));
    if (cssAssets.length === 0) return;
    const css = cssAssets.map((asset) => String(asset.source)).join('\n');
    for (const asset of cssAssets) delete bundle[asset.fileName];
    const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
    if (!entry) return;
    const snippet =
      `\n(()=>{if(typeof document!=="undefined"&&!document.querySelector('style[data-mf=${JSON.stringify(name)}]')){` +
      `const s=document.createElement("style");s.dataset.mf=${JSON.stringify(name)};s.textContent=${JSON.stringify(css)};` +
      `document.head.appendChild(s)}})();\n`;
    const mapComment = entry.code.lastIndexOf('\n//# sourceMappingURL=');
    entry.code = mapComment >= 0 ? entry.code.slice(0, mapComment) + snippet + entry.code.slice(mapComment) : entry.code + snippet;
  },
});

const NAIVE_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']naive-ui["']/g;

/** Fails the build when an app imports a Naive UI name that the shared vendor module does not export. */
const checkNaiveUiImports = () => ({
  name: 'kartoteka:check-naive-ui-imports',
  apply: 'build',
  generateBundle(_options, bundle) {
    const shipped = new Set(naiveUiExports);
    const missing = new Set();
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      for (const match of file.code.matchAll(NAIVE_IMPORT)) {
        for (const binding of match[1].split(',')) {
          const imported = binding.trim().split(/\s+as\s+/)[0];
          if (imported && !shipped.has(imported)) missing.add(imported);
        }
      }
    }
    if (missing.size > 0) {
      this.error(
        `Naive UI names not shipped by the portal's vendor module: ${[...missing].join(', ')}. ` +
          'Add them to naiveUiExports in frontends/tooling/externals.mjs.',
      );
    }
  },
});

/**
 * Vite config of a microfrontend: an ES library exporting the single-spa lifecycles, written to
 * dist/<name>.js, with every shared module left to the import map.
 */
export const defineMicrofrontendConfig = ({ name, root, entry = 'src/main.ts' }) => ({
  root,
  plugins: [vue(), injectCssIntoEntry(name), checkNaiveUiImports(), moduleGraph()],
  define: {
    'process.env.NODE_ENV': '"production"',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    cssCodeSplit: false,
    reportCompressedSize: false,
    lib: {
      entry,
      formats: ['es'],
      fileName: () => `${name}.js`,
      cssFileName: name,
    },
    rolldownOptions: {
      external: (id) => isSharedModule(id),
      // Vite keeps whitespace in ES library builds; a microfrontend is served as is, so minify fully.
      output: { minify: true, comments: false },
    },
  },
});
