import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The SPA. `npm run dev` serves it with hot reload and proxies the API to the relay
 * (RELAY_URL, default http://127.0.0.1:8080); `npm run build` writes `dist/`, which the relay
 * serves. Mode `demo` builds the mock-mode site into `dist-demo/` with relative paths so it
 * works from any static file server.
 */
export default defineConfig(({ mode }) => {
  const relay = process.env.RELAY_URL ?? 'http://127.0.0.1:8080';
  const demo = mode === 'demo';
  return {
    plugins: [react()],
    base: demo ? './' : '/',
    // public/ holds only MSW's worker: copied into the mock-mode build, never into the real one.
    publicDir: demo ? 'public' : false,
    define: {
      __APP_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0'),
    },
    build: {
      outDir: demo ? 'dist-demo' : 'dist',
      sourcemap: true,
      chunkSizeWarningLimit: 1200,
    },
    server: {
      host: '127.0.0.1',
      port: 5173,
      proxy: {
        // `changeOrigin: false` keeps the browser's Host (127.0.0.1:5173), so the dashboard's
        // POSTs, which carry Origin http://127.0.0.1:5173, are the relay's own origin there and
        // pass its Origin rule untouched, while a cross-site page's Origin still reaches the relay
        // and is refused. Turning it on, or stripping Origin here, would break one or the other.
        // Vite's own Host check (`server.allowedHosts`) keeps DNS rebinding out of this hop.
        '/api': { target: relay, changeOrigin: false },
        '/metrics': relay,
        '/healthz': relay,
      },
    },
    preview: { host: '127.0.0.1', port: 4173 },
  };
});
