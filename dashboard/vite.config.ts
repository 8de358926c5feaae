import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

// The dashboard is a static SPA served by the worker at /dashboard/ (Node: dist/public, Workers: assets).
export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  plugins: [preact()],
  build: {
    outDir: '../dist/public/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
})
