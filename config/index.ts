import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

// The one module outside src/ the app bundles (its statuses and limits): Taro compiles only
// src/ unless told. It imports nothing, so nothing else of cloud/ comes along.
const CONTRACTS = path.resolve(__dirname, '..', 'cloud', 'payment', 'contracts.ts')

// https://docs.taro.zone/docs/config
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'taro-wxpay-shop',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // dist/weapp gets its own DevTools project file (src/project.weapp.json): opened on its own,
    // its cloud functions are the built ones beside it in dist/cloudfunctions.
    projectConfigName: 'project.weapp.json',
    // Each platform gets its own folder: a build wipes its outputRoot.
    outputRoot: `dist/${process.env.TARO_ENV}`,
    // Platform and framework plugins are added by the CLI from --type and `framework`.
    plugins: [],
    // Only non-secret, always-defined values belong here: an undefined
    // process.env.TARO_APP_* is left in the H5 bundle and blanks the page.
    defineConstants: {
      // Not secret: where the mini program loads pictures stored as paths (the local cloud by default).
      ASSET_BASE: JSON.stringify(process.env.ASSET_BASE ?? 'http://127.0.0.1:8787'),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: {
      // app.json's sitemapLocation (src/app.config.ts) names this file; only the mini program has one.
      patterns: process.env.TARO_ENV === 'weapp' ? [{ from: 'src/sitemap.json', to: 'dist/weapp/sitemap.json' }] : [],
      options: {},
    },
    // The mini program keeps its Chinese as UTF-8 (3 bytes a character) instead of Taro's default
    // \uXXXX escapes (6): every word a shopper reads is in the bundle, and the package has a size
    // budget (docs/benchmarks.md). WeChat loads mini program code as UTF-8.
    ...(process.env.TARO_ENV === 'weapp' ? { terser: { enable: true, config: { output: { ascii_only: false } } } } : {}),
    framework: 'react',
    compiler: 'webpack5',
    cache: {
      enable: false,
    },
    mini: {
      compile: {
        include: [CONTRACTS],
      },
      postcss: {
        pxtransform: {
          enable: true,
          config: {},
        },
        cssModules: {
          enable: false,
        },
      },
    },
    h5: {
      publicPath: '/',
      compile: {
        include: [CONTRACTS],
      },
      staticDirectory: 'static',
      router: {
        mode: 'hash',
      },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: {
          enable: true,
          config: {},
        },
        cssModules: {
          enable: false,
        },
      },
      devServer: {
        host: '127.0.0.1',
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
