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
        // each role's lazy pages named for the role (pages-initiator-…), so the bench reports the split per
        // role; a name only: the chunks are Rollup's own (a manual chunk would pull shared code into it)
        chunkFileNames(chunk) {
          const page = /[\\/]src[\\/]pages[\\/]([a-z-]+)[\\/]index\.tsx$/;
          // (a section shared by several roles, pages/cases, is a chunk without a facade: named by its module)
          const role = [chunk.facadeModuleId ?? '', ...chunk.moduleIds]
            .map((id) => page.exec(id))
            .find(Boolean);
          return role ? `assets/pages-${role[1]}-[hash].js` : 'assets/[name]-[hash].js';
        },
        manualChunks(id) {
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
