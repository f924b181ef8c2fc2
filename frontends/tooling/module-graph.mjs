/**
 * The module graph of a build, written next to its output as `modules.json`: for every emitted chunk, the
 * modules it imports statically (chunks of the same build by file name, shared modules by their import-map
 * specifier). The portal server follows it from the modules a page needs and names them all in the page as
 * `<link rel="modulepreload">`, so the browser fetches the whole route in one round instead of discovering
 * each level of imports after the previous one arrived. Dynamic imports (lazy chunks) are not followed.
 */
export const MODULE_GRAPH_FILE = 'modules.json';

/** Rolldown/Vite plugin writing `modules.json` into the build's output folder. */
export const moduleGraph = () => ({
  name: 'kartoteka:module-graph',
  apply: 'build',
  enforce: 'post',
  generateBundle(_options, bundle) {
    const modules = {};
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      modules[file.fileName] = { entry: file.isEntry, imports: [...file.imports] };
    }
    this.emitFile({ type: 'asset', fileName: MODULE_GRAPH_FILE, source: `${JSON.stringify({ modules }, null, 1)}\n` });
  },
});
