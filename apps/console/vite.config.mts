/// <reference types="vitest" />
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console (decision 0028): static files in apps/console/dist, served at / by the embedded process and
// by the gateway. A chunk per role's pages; React, Ant Design and ECharts in long-cached vendor chunks.
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        manualChunks(id) {
          // each role's pages a named chunk (pages-initiator …), so the bench reports the split per role
          const role = /[\\/]src[\\/]pages[\\/]([a-z-]+)[\\/]/.exec(id);
          if (role) return `pages-${role[1]}`;
          if (!id.includes('node_modules')) return undefined;
          if (/[\\/](echarts|zrender|echarts-for-react)[\\/]/.test(id)) return 'vendor-echarts';
          if (/[\\/](antd|@ant-design|rc-[^\\/]+|@rc-component)[\\/]/.test(id)) return 'vendor-antd';
          if (/[\\/](react|react-dom|scheduler|react-router|react-router-dom|@remix-run)[\\/]/.test(id))
            return 'vendor-react';
          return 'vendor';
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
