import type { UserConfigExport } from '@tarojs/cli';

const bff = process.env.BFF_ORIGIN ?? 'http://127.0.0.1:3000';

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {
    // `pnpm dev`: the page and the API share the dev server's origin, so no CORS is needed.
    devServer: {
      host: '127.0.0.1',
      port: Number(process.env.H5_PORT ?? 10086),
      open: false,
      proxy: { '/v1': { target: bff, changeOrigin: true } },
    },
  },
} satisfies UserConfigExport<'webpack5'>;
