import { defineConfig, type Plugin } from 'vite';

/**
 * Where `vite` (dev) and `vite preview` send API requests: a running `cubemark serve` (default
 * http://127.0.0.1:8787; set CUBEMARK_API to change it). The built page uses relative URLs, so served by the
 * scheduler itself it needs no proxy.
 */
const api = process.env.CUBEMARK_API ?? 'http://127.0.0.1:8787';
const proxy = Object.fromEntries(['/publications', '/healthz', '/openapi.json', '/resident'].map((p) => [p, { target: api, changeOrigin: true }]));

/**
 * @cubemark/format's index also exports the parser and the schema validator, which import `node:zlib` and
 * `node:module`. The page only uses its CF time functions, so those modules are dropped by tree-shaking (the
 * package's modules have no import-time side effects worth keeping); this stub stands in for the Node builtins so
 * the bundle never references them, and fails loudly if anything ever calls one.
 */
function nodeBuiltinStubs(): Plugin {
  const STUB = '\0cubemark-node-stub';
  return {
    name: 'cubemark-node-builtin-stubs',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith('node:') ? STUB : undefined;
    },
    load(id) {
      if (id !== STUB) return undefined;
      return [
        'const fail = (name) => () => { throw new Error(`${name} is not available in the browser`); };',
        "export const inflateSync = fail('inflateSync');",
        "export const deflateSync = fail('deflateSync');",
        "export const createRequire = () => fail('require');",
        'export default {};',
      ].join('\n');
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the page works wherever the scheduler mounts it.
  base: './',
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  plugins: [nodeBuiltinStubs()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    // The 1:50m coastlines are one data chunk (~550 kB), loaded only for maps that need them.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]packages[\\/]format[\\/]/.test(id) },
    },
  },
  server: { proxy },
  preview: { proxy },
});
