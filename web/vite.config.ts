/**
 * The console's build: web/ → web/dist/, served by `lupa serve` at /. In development
 * (`npm run dev:web`) Vite serves the console and passes /v1 to a running `lupa serve`.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/v1': process.env.LUPA_API_URL ?? 'http://127.0.0.1:8080' } },
});
