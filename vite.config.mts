import { defineConfig } from 'vite';

// The renderer is a static bundle: loaded from app:// in the desktop and from the loopback
// bridge in browser mode. Relative base so both work.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a static bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
