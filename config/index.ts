import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import { clientSettings, withAppId, type ClientSettings } from './clientEnv'
import devConfig from './dev'
import prodConfig from './prod'

// The one module outside src/ the app bundles (its statuses and limits): Taro compiles only
// src/ unless told. It imports nothing, so nothing else of cloud/ comes along.
const CONTRACTS = ['contracts.ts', 'staffContracts.ts'].map((file) => path.resolve(__dirname, '..', 'cloud', 'payment', file))

const ROOT = path.resolve(__dirname, '..')

/** The appid of the DevTools project file Taro copies into dist/weapp (with TARO_APP_ID in its place when set). */
function templateAppId(): string | undefined {
  const file = path.join(ROOT, 'src', 'project.weapp.json')
  if (!existsSync(file)) return undefined
  const appid: unknown = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)['appid']
  return typeof appid === 'string' ? appid : undefined
}

/** Prints what the build is made with; stops before compiling anything when a setting is wrong. */
function report(settings: ClientSettings): void {
  const tag = `[client config${settings.release ? ', release' : ''}]`
  for (const note of settings.notes) console.log(`${tag} ${note}`)
  for (const warning of settings.warnings) console.warn(`${tag} warning: ${warning}`)
  if (settings.errors.length === 0) return
  for (const error of settings.errors) console.error(`${tag} error: ${error}`)
  console.error(`${tag} the build stops: fix the variable${settings.errors.length > 1 ? 's' : ''} above (README, Configuration).`)
  // Thrown, Taro would log the stack and claim it found no config file.
  process.exit(1)
}

/**
 * WeChat DevTools opened at the repository root reads its appid from the root project.config.json
 * (whose miniprogramRoot is dist/weapp): TARO_APP_ID goes there too, as Taro puts it in dist's copy.
 * Not for a build elsewhere (TARO_OUTPUT_ROOT), which that file does not describe.
 */
function syncRootAppId(settings: ClientSettings, env: NodeJS.ProcessEnv): void {
  const appId = env['TARO_APP_ID']?.trim()
  if (!appId || env['TARO_ENV'] !== 'weapp' || env['TARO_OUTPUT_ROOT']?.trim()) return
  const file = path.join(ROOT, 'project.config.json')
  if (!existsSync(file)) return
  const updated = withAppId(readFileSync(file, 'utf8'), appId)
  if (updated === null) return
  writeFileSync(file, updated)
  console.log(`[client config${settings.release ? ', release' : ''}] project.config.json: appid ${appId}`)
}

// https://docs.taro.zone/docs/config
export default defineConfig<'webpack5'>(async (merge, { mode }) => {
  // CLOUD_ENV, ASSET_BASE, TARO_APP_ID (README, Configuration); --mode release for an upload.
  const client = clientSettings({ env: process.env, mode, templateAppId: templateAppId(), root: ROOT })
  report(client)
  syncRootAppId(client, process.env)

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
    // Each platform gets its own folder (dist/<platform>; TARO_OUTPUT_ROOT elsewhere): a build wipes its outputRoot.
    outputRoot: client.outputRoot,
    // Platform and framework plugins are added by the CLI from --type and `framework`.
    plugins: [],
    // Only non-secret, always-defined values belong here: an undefined
    // process.env.TARO_APP_* is left in the H5 bundle and blanks the page.
    // Not secret: where the mini program loads pictures stored as paths, and its cloud environment.
    defineConstants: client.defineConstants,
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: {
      // app.json's sitemapLocation (src/app.config.ts) names this file; only the mini program has one.
      patterns: process.env.TARO_ENV === 'weapp' ? [{ from: 'src/sitemap.json', to: path.join(client.outputRoot, 'sitemap.json') }] : [],
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
        include: CONTRACTS,
      },
      // webpack's own glue (export getters, chunk loading) in ES2015 rather than ES5: every
      // WeChat this app targets (browserslist in package.json: iOS 11+, Chrome 63+) runs it, and
      // `()=>x` instead of `function(){return x}` on each export keeps the package small.
      webpackChain(chain) {
        chain.output.set('environment', { arrowFunction: true, const: true, destructuring: true, forOf: true, templateLiteral: true })
      },
      postcss: {
        pxtransform: {
          enable: true,
          config: {},
        },
        // Focus rings and cursors are for H5's keyboards and mice: not in the mini program.
        './config/postcss-mini-trim.cjs': {
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
        include: CONTRACTS,
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
