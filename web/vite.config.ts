import { defineConfig } from 'vite';

// The dashboard is served by the Stratus server itself, under a strict CSP
// (script-src 'self'): everything must be bundled, nothing inlined into index.html.
export default defineConfig({
  // Vite 8 compiles TSX with Oxc; point its automatic JSX runtime at Preact
  // instead of pulling in a plugin just for that.
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2022',
    // The server answers /assets/* as immutable; hashed names make that safe.
    assetsDir: 'assets',
  },
  server: {
    proxy: {
      // Keep the browser's Host header: the server accepts a cookie write only
      // when its Origin names the host it was sent to, which through this proxy
      // is the dev server. (The string shorthand would rewrite Host.)
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
