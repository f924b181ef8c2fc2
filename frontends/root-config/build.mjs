/**
 * Builds the portal root into dist/:
 *   vendor/*.js      the shared libraries, each an ES module listed in the import map
 *   root-config.js   the framework-free single-spa root (layout, login, routes)
 *   routes.mjs       the portal's routes and the apps each one mounts, for the portal server (preload lists)
 *   modules.json     (and vendor/modules.json) the static imports of each module built here
 *   index.html       with the import map generated from @kartoteka/frontend-tooling/externals
 */
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { importMap, naiveUiExports } from '@kartoteka/frontend-tooling/externals';
import { moduleGraph } from '@kartoteka/frontend-tooling/module-graph';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const require = createRequire(import.meta.url);

/** Source of each vendor module (besides vue, which is copied prebuilt). */
const vendorSources = {
  'apollo-client': "export * from '@apollo/client/core';\n",
  'apollo-composable': "export * from '@vue/apollo-composable';\n",
  'naive-ui': `export { ${naiveUiExports.join(', ')} } from 'naive-ui';\n`,
  'vue-i18n': "export * from 'vue-i18n';\n",
  'single-spa': "export * from 'single-spa';\n",
};

/** Vite resolves library entries as files, so the vendor entry modules are written to a scratch folder. */
const entriesDir = path.join(root, 'node_modules', '.kartoteka-vendor');
const entryFile = (name) => path.join(entriesDir, `${name}.js`);

const writeVendorEntries = async () => {
  await mkdir(entriesDir, { recursive: true });
  for (const [name, source] of Object.entries(vendorSources)) await writeFile(entryFile(name), source);
};

/** Within the vendor build, vendor modules import vue and the Apollo client from the import map too. */
const vendorExternal = (id, importer) => {
  if (id === 'vue') return true;
  if (id === '@apollo/client/core' || id === '@apollo/client/core/index.js') return importer !== entryFile('apollo-client');
  return false;
};

const productionDefines = {
  'process.env.NODE_ENV': '"production"',
  'globalThis.__DEV__': 'false',
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  __VUE_I18N_FULL_INSTALL__: 'true',
  __VUE_I18N_LEGACY_API__: 'false',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
};

/**
 * Accessibility fixes of Naive UI, applied where the portal builds it once for every app (vendor/naive-ui.js):
 * - a card's header is `role="heading"` twice (the header with its buttons, and the title inside it) and without
 *   `aria-level` (axe: aria-required-attr, critical): the title alone is the heading, at level 2 under the page's h1;
 * - the search input of a filterable select has no name (axe: label, critical): it takes the select's placeholder
 *   ("Ответственный", "Контрагент"), unless the app passes its own through `input-props`;
 * - a plain select is a focusable div with no role: it becomes a button that opens a list (`aria-haspopup="listbox"`,
 *   `aria-expanded`), named by what it shows (the chosen option, or the placeholder).
 * Each rewrite must find its code: a Naive UI upgrade that changes it fails the build instead of silently losing the fix.
 */
const naiveAccessibilityFixes = [
  {
    file: /naive-ui\/es\/card\/src\/Card\.mjs$/,
    rewrites: [
      [/(`\$\{mergedClsPrefix\}-card-header`, this\.headerClass\]\),\s*style: normalizeStyle\(this\.headerStyle\)),\s*role: "heading"/, '$1'],
      [/(`\$\{mergedClsPrefix\}-card-header__main`\),\s*)role: "heading"/, '$1role: "heading",\n          "aria-level": 2'],
    ],
  },
  {
    file: /naive-ui\/es\/_internal\/selection\/src\/Selection\.mjs$/,
    rewrites: [
      [/createElementVNode\("input", mergeProps\(this\.inputProps, \{/g, 'createElementVNode("input", mergeProps({ "aria-label": this.placeholder || void 0 }, this.inputProps, {'],
      [
        /(ref: "singleElRef",\s*class: normalizeClass\$1\(`\$\{clsPrefix\}-base-selection-label`\),\s*tabindex: this\.disabled \? void 0 : 0)/,
        '$1,\n        role: "button",\n        "aria-haspopup": "listbox",\n        "aria-expanded": this.active ? "true" : "false",\n        "aria-disabled": this.disabled ? "true" : void 0',
      ],
      // the attributes above change with the state: Vue's compiled patch must know them as dynamic props
      [/const _hoisted_5 = \["tabindex"\];/, 'const _hoisted_5 = ["tabindex", "aria-expanded", "aria-disabled"];'],
    ],
  },
];

const naiveAccessibility = () => {
  const applied = new Set();
  return {
    name: 'kartoteka-naive-accessibility',
    buildEnd(error) {
      const missed = naiveAccessibilityFixes.filter((fix) => !applied.has(fix));
      if (!error && missed.length > 0) throw new Error(`naive-ui accessibility fix: never saw ${missed.map((fix) => fix.file).join(', ')}`);
    },
    transform(code, id) {
      const fix = naiveAccessibilityFixes.find((candidate) => candidate.file.test(id.replace(/\\/g, '/')));
      if (!fix) return null;
      applied.add(fix);
      let patched = code;
      for (const [pattern, replacement] of fix.rewrites) {
        const next = patched.replace(pattern, replacement);
        if (next === patched) throw new Error(`naive-ui accessibility fix: ${pattern} not found in ${id} (did Naive UI change?)`);
        patched = next;
      }
      return { code: patched, map: null };
    },
  };
};

const buildVendor = () =>
  build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins: [moduleGraph(), naiveAccessibility()],
    define: productionDefines,
    build: {
      outDir: path.join(dist, 'vendor'),
      emptyOutDir: false,
      target: 'es2022',
      reportCompressedSize: false,
      lib: {
        entry: Object.fromEntries(Object.keys(vendorSources).map((name) => [name, entryFile(name)])),
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        external: vendorExternal,
        output: { minify: true, comments: { legal: true, annotation: false, jsdoc: false }, chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });

const buildRoot = () =>
  build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins: [moduleGraph()],
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: dist,
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      reportCompressedSize: false,
      lib: { entry: 'src/root-config.ts', formats: ['es'], fileName: () => 'root-config.js', cssFileName: 'root-config' },
      rolldownOptions: {
        external: ['single-spa', '@kartoteka/portal-api', '@apollo/client/core'],
        output: { minify: true, comments: false },
      },
    },
  });

/** The route table (src/routes.ts, no dependencies) as a module the portal server imports. */
const buildRoutes = () =>
  build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: dist,
      emptyOutDir: false,
      target: 'node20',
      reportCompressedSize: false,
      lib: { entry: 'src/routes.ts', formats: ['es'], fileName: () => 'routes.mjs' },
      rolldownOptions: { output: { minify: false } },
    },
  });

const copyVue = async () => {
  const vueDir = path.dirname(require.resolve('vue/package.json'));
  await copyFile(path.join(vueDir, 'dist', 'vue.runtime.esm-browser.prod.js'), path.join(dist, 'vendor', 'vue.js'));
};

const writeIndexHtml = async () => {
  const template = await readFile(path.join(root, 'index.html'), 'utf8');
  const preload = ['vue', 'single-spa', '@apollo/client/core', '@kartoteka/portal-api']
    .map((specifier) => `<link rel="modulepreload" href="${importMap.imports[specifier]}" />`)
    .join('\n    ');
  const html = template
    .replace('<!--kartoteka:importmap-->', `<script type="importmap">${JSON.stringify(importMap)}</script>`)
    // the server adds the modules of the page's apps (and all they import) at the route marker: see portal-server.mjs
    .replace('<!--kartoteka:preload-->', `${preload}\n    <link rel="modulepreload" href="/root-config.js" />\n    <!--kartoteka:route-preload-->`);
  await writeFile(path.join(dist, 'index.html'), html);
};

const started = Date.now();
await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, 'vendor'), { recursive: true });
await writeVendorEntries();
await buildVendor();
await copyVue();
await buildRoot();
await buildRoutes();
await cp(path.join(root, 'public'), dist, { recursive: true });
await writeIndexHtml();
console.log(`root-config: built dist/ in ${Date.now() - started} ms`);
