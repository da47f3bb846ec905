import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Miniapp unit tests: pure modules (API client, stores) and hooks, in happy-dom. */
export default defineConfig({
  define: {
    'process.env.TARO_ENV': JSON.stringify('h5'),
    'process.env.TARO_PLATFORM': JSON.stringify('web'),
    'process.env.FRAMEWORK': JSON.stringify('react'),
    'process.env.SUPPORT_TARO_POLYFILL': JSON.stringify('disabled'),
    DEPRECATED_ADAPTER_COMPONENT: 'false',
  },
  resolve: {
    alias: {
      '@tarojs/components': '@tarojs/components/lib/react',
    },
  },
  test: {
    name: 'miniapp',
    root: src('./'),
    include: ['src/**/*.test.{ts,tsx}', 'config/**/*.test.ts'],
    environment: 'happy-dom',
    server: { deps: { inline: [/@tarojs/] } },
  },
});
