import path from 'node:path'

// What the mini program is built with, from the build's environment: the cloud environment it
// calls, the AppID of its DevTools project, where it loads pictures stored as paths, and where
// the build goes. Pure (environment in, settings and messages out) so every rule has a unit test
// (scripts/client-env.test.ts); config/index.ts prints the messages and stops on an error.
//
// Two kinds of weapp build. A local build (`npm run build:weapp`, what the tests and WeChat
// DevTools against the local cloud use) loads pictures from the local cloud by default. A release
// build (`npm run build:weapp -- --mode release`, Taro's own --mode switch) is the one uploaded:
// it has no picture default and refuses one that a phone could never load. `taro build` sets
// NODE_ENV=production for every build without --watch, the tests' included, so NODE_ENV alone
// cannot tell them apart.

export type Env = Readonly<Record<string, string | undefined>>

/** Taro's `--mode` that marks a build for upload. */
export const RELEASE_MODE = 'release'
/** Where a local build loads pictures stored as paths: the local cloud (`npm start`). */
export const LOCAL_ASSET_BASE = 'http://127.0.0.1:8787'
/** The AppID WeChat DevTools gives a project without one: no cloud development, no payment. */
export const TOURIST_APPID = 'touristappid'

export type ClientBuild = {
  /** process.env as Taro leaves it (TARO_ENV, NODE_ENV, and TARO_APP_ID from its .env files). */
  env: Env
  /** Taro's mode: `production` for `taro build`, `development` with --watch, or `--mode <name>`. */
  mode: string
  /** The appid of the DevTools project file Taro copies into the build (src/project.weapp.json). */
  templateAppId: string | undefined
  /** The project root (where an output folder may not go). */
  root: string
}

export type ClientSettings = {
  /** For Taro's defineConstants: each value is JSON source text. */
  defineConstants: { ASSET_BASE: string; CLOUD_ENV: string }
  /** The folder the build writes (and wipes first). */
  outputRoot: string
  /** The AppID dist's project.config.json gets (TARO_APP_ID, else the template's). */
  appId: string | undefined
  release: boolean
  /** What the build is made with, worth a line in its output. */
  notes: string[]
  /** Builds, but probably not what was meant. */
  warnings: string[]
  /** Does not build: each names the variable and what to set. */
  errors: string[]
}

const set = (env: Env, key: string): string | undefined => {
  const value = env[key]?.trim()
  return value ? value : undefined
}

/** Hosts only the build machine itself can reach (`URL.hostname` keeps IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1' || host === '0.0.0.0' || host === '::'
}

// A CloudBase environment id (`prod-1a2b3c`): compiled into the bundle, so checked here.
const CLOUD_ENV_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

function assetBase(raw: string | undefined, release: boolean, out: ClientSettings): string {
  if (raw === undefined) {
    if (release) {
      out.warnings.push(
        'ASSET_BASE is not set: goods pictures stored as paths (/static/…) will not load in the mini program. ' +
          'Set ASSET_BASE=https://<your picture host>, or give the goods cloud:// file ids.',
      )
      return ''
    }
    out.notes.push(`pictures stored as paths load from the local cloud (${LOCAL_ASSET_BASE}): a local build; add --mode ${RELEASE_MODE} for an upload`)
    return LOCAL_ASSET_BASE
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    out.errors.push(`ASSET_BASE=${raw} is not a URL: set ASSET_BASE=https://<your picture host>`)
    return ''
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    out.errors.push(`ASSET_BASE=${raw} is not an http(s) URL: set ASSET_BASE=https://<your picture host>`)
    return ''
  }
  if (url.search || url.hash || url.username || url.password) {
    out.errors.push(`ASSET_BASE=${raw} has a query, fragment or credentials: picture paths are appended to it; set the bare base URL`)
    return ''
  }
  if (release && isLoopbackHost(url.hostname)) {
    out.errors.push(
      `ASSET_BASE=${raw} is this machine (${url.hostname}): a phone cannot load it. Set ASSET_BASE=https://<your picture host> for a release build.`,
    )
  } else if (release && url.protocol === 'http:') {
    out.errors.push(`ASSET_BASE=${raw} is plain http: the mini program loads pictures over https only. Set ASSET_BASE=https://… for a release build.`)
  }
  // Picture paths start with `/`: a trailing slash here would double it.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function outputRoot(raw: string | undefined, platform: string | undefined, root: string, out: ClientSettings): string {
  const fallback = `dist/${platform}`
  if (raw === undefined) return fallback
  // A build wipes its output folder first: never the project, a folder holding it, or its sources.
  const target = path.resolve(root, raw)
  const dist = path.join(root, 'dist') + path.sep
  const insideProject = target === root || target.startsWith(root + path.sep)
  const holdsProject = root.startsWith(target.endsWith(path.sep) ? target : target + path.sep)
  if (holdsProject || (insideProject && !target.startsWith(dist))) {
    out.errors.push(`TARO_OUTPUT_ROOT=${raw} would be wiped by the build: use a folder under dist/ or outside the project`)
    return fallback
  }
  return target
}

export function clientSettings(build: ClientBuild): ClientSettings {
  const { env, mode } = build
  const platform = env['TARO_ENV']
  const release = mode === RELEASE_MODE
  const out: ClientSettings = {
    defineConstants: { ASSET_BASE: '""', CLOUD_ENV: '""' },
    outputRoot: '',
    appId: set(env, 'TARO_APP_ID') ?? build.templateAppId,
    release,
    notes: [],
    warnings: [],
    errors: [],
  }
  out.outputRoot = outputRoot(set(env, 'TARO_OUTPUT_ROOT'), platform, build.root, out)
  // Only the mini program loads pictures from elsewhere and calls wx.cloud; H5 is served by the local cloud.
  if (platform !== 'weapp') return out

  const cloudEnv = set(env, 'CLOUD_ENV')
  if (cloudEnv === undefined) {
    out.notes.push('CLOUD_ENV is not set: wx.cloud.init() uses the mini program’s default cloud environment')
  } else if (!CLOUD_ENV_ID.test(cloudEnv)) {
    out.errors.push(`CLOUD_ENV=${cloudEnv} is not a cloud environment id: set CLOUD_ENV to the id shown in 云开发控制台 (e.g. prod-1a2b3c)`)
  } else {
    out.notes.push(`cloud environment: ${cloudEnv}`)
  }

  const base = assetBase(set(env, 'ASSET_BASE'), release, out)

  if ((release || env['NODE_ENV'] === 'production') && out.appId === TOURIST_APPID) {
    out.warnings.push(
      `the mini program is built with the tourist AppID (${TOURIST_APPID}): it cannot use cloud development or WeChat Pay. Set TARO_APP_ID=wx… (your AppID).`,
    )
  }

  out.defineConstants = { ASSET_BASE: JSON.stringify(base), CLOUD_ENV: JSON.stringify(cloudEnv && CLOUD_ENV_ID.test(cloudEnv) ? cloudEnv : '') }
  return out
}

/**
 * The root project.config.json (what WeChat DevTools opens at the repository root) with `appId`,
 * or null when it already has it. Taro itself writes TARO_APP_ID into the copy in the build.
 */
export function withAppId(projectConfigText: string, appId: string): string | null {
  const config: unknown = JSON.parse(projectConfigText)
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error('project.config.json is not a JSON object')
  if ((config as Record<string, unknown>)['appid'] === appId) return null
  return `${JSON.stringify({ ...config, appid: appId }, null, 2)}\n`
}
