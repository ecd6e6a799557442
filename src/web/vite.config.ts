import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The web front-end: built into dist/web, served by the server at `/`. */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // one bundle for the whole front-end (React, react-router, chart.js), served by the server itself
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/fhir': 'http://localhost:8080', '/dev': 'http://localhost:8080' },
  },
});
