import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import { checkReleaseApiBase } from './api-base';
import devConfig from './dev';
import prodConfig from './prod';

const root = path.resolve(__dirname, '..');

/** Real directory of one of the miniapp's own dependencies (pnpm links them under node_modules). */
function packageDir(name: string): string {
  return fs.realpathSync(path.join(root, 'node_modules', name));
}

/**
 * In a pnpm workspace the H5 build can pull in two copies of Taro's React runtime and crash in the
 * browser with "useContext is not a function". Pin each of these to the copy the miniapp resolves.
 */
const singletonPackages = [
  '@tarojs/plugin-framework-react',
  '@tarojs/runtime',
  '@tarojs/shared',
  'react',
  'react-dom',
];

// biome-ignore lint/suspicious/noExplicitAny: webpack-chain types are not exported by @tarojs/cli
function chainCommon(chain: any) {
  chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
  for (const name of singletonPackages) {
    chain.resolve.alias.set(name, packageDir(name));
  }
}

const taroEnv = process.env.TARO_ENV ?? 'weapp';

/** The `shared` workspace package ships TypeScript source: compile it like our own. */
const sharedSource = packageDir('shared');
const compile = { include: [(file: string) => file.startsWith(sharedSource)] };

export default defineConfig<'webpack5'>(async (merge) => {
  // A release that calls a plain-http API fails only on phones, after it is out: refuse to build it.
  const apiBase = checkReleaseApiBase(process.env);
  if (apiBase && 'error' in apiBase) {
    process.stderr.write(`\n[linli] ${apiBase.error}\n\n`);
    process.exit(1);
  }
  if (apiBase) process.stderr.write(`\n[linli] ${apiBase.warning}\n\n`);
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli-miniapp',
    date: '2025-01-01',
    designWidth: 375,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: taroEnv === 'h5' ? 'dist/h5' : `dist/${taroEnv}`,
    // WeChat's aria-* attributes on view/text/button (Taro's weapp template leaves them out).
    plugins: [path.resolve(__dirname, 'aria-plugin.js')],
    env: {
      // Taro only reads TARO_APP_* from .env files; pass the build-time environment through too.
      TARO_APP_API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    // The H5 build spent most of its time in terser (about 150 s of 180 s here); esbuild minifies it in
    // seconds for ~13% more bytes. The weapp build keeps terser: its main package has a size budget.
    ...(taroEnv === 'h5'
      ? {
          jsMinimizer: 'esbuild' as const,
          esbuild: { minify: { enable: true, config: { target: 'es2017' } } },
        }
      : {}),
    mini: {
      compile,
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chainCommon(chain);
      },
    },
    h5: {
      compile,
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chainCommon(chain);
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
