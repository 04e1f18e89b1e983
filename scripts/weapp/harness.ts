/**
 * A stand-in for the WeChat mini program base library, just enough to run the compiled
 * `dist/weapp` bundle in Node.
 *
 * Real: every byte of the bundle (Taro's runtime, React and its reconciler, the app's pages,
 * stores and services) runs as compiled, in its own `vm` context, through the same
 * `App()` / `Page()` / `Component()` / `wx.*` seams WeChat gives it.
 *
 * Stand-ins (this file): the globals `App`, `Page`, `Component`, `getApp`, `getCurrentPages`;
 * a page instance (`data`, `setData` with path keys, `route`, lifecycles called in WeChat's
 * order); and `wx`: `wx.cloud.init` and `wx.cloud.callFunction` (sent over HTTP to a local
 * cloud: `POST <cloudUrl>/api/functions/<name>`), a few synchronous APIs answered with fixed
 * values, and every other common API as a recorder that fails the call. Nothing is laid out
 * or drawn: `base.wxml` is never read, so a test checks the page's data, not pixels.
 *
 * The context holds only what a mini program has: no `window`, `document`, `fetch`,
 * `setImmediate` or `MessageChannel`, so code that needs them fails here as it would on a phone.
 */
import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

export type WxCall = { api: string; args: unknown[] }
export type CloudCall = { name: string; data: unknown; status?: number; result?: unknown; error?: string }
export type LogEntry = { level: 'warn' | 'error'; message: string }

export type HarnessOptions = {
  /** The compiled mini program (`dist/weapp`). */
  distDir: string
  /** The local cloud's base URL; `wx.cloud.callFunction` posts to `<cloudUrl>/api/functions/<name>`. */
  cloudUrl: string
  /** The caller the local cloud sees (`X-WX-OPENID`): 1-64 of [A-Za-z0-9_-], not all digits. */
  openid?: string
  /** Runs before each cloud call leaves: await something to hold the call, throw to fail it. */
  beforeCallFunction?: (name: string, data: unknown) => Promise<void> | void
  /** Echo the bundle's console.log/info/debug (warnings and errors are always recorded). */
  verbose?: boolean
}

export type PageHandle = {
  route: string
  /** The instance the bundle sees as `this` in its page lifecycles. */
  instance: Record<string, unknown>
  /** The page's data after every `setData` so far (path keys applied, as WeChat does). */
  readonly data: Record<string, unknown>
  /** Each `setData` patch as the bundle sent it (a JSON copy). */
  readonly patches: ReadonlyArray<Record<string, unknown>>
  /** The text nodes of the rendered tree (`root.cn…v`), in document order. */
  texts(): string[]
  /** Calls a page lifecycle (`onPullDownRefresh`, `onHide` …) as WeChat would. */
  trigger(lifecycle: string, ...args: unknown[]): unknown
}

export type MiniProgram = {
  /** What the bundle passed to `App()`. */
  app: Record<string, unknown>
  /** Component definitions the bundle registered, by file (`comp` …). */
  components: Map<string, Record<string, unknown>>
  /** Every `wx.*` call, in order (`cloud.init`, `cloud.callFunction`, `getStorageSync` …). */
  wxCalls: WxCall[]
  /** Calls to APIs this harness only records: each one failed, since nothing here implements it. */
  unexpected: WxCall[]
  /** `wx` properties the bundle read that do not exist (capability probes). */
  probes: Set<string>
  cloudCalls: CloudCall[]
  logs: LogEntry[]
  /** Exceptions thrown by the bundle in timers, plus WeChat-style complaints (setData of undefined …). */
  errors: unknown[]
  /** Resolves once `predicate` holds (checked every 10 ms); rejects after `timeoutMs` with what the pages show. */
  waitFor(predicate: () => boolean, description: string, timeoutMs?: number): Promise<void>
  /** Runs onLaunch/onShow and opens the first page of app.json (or `route`). */
  launch(route?: string, query?: Record<string, string>): PageHandle
  /** Cancels every timer the bundle left. */
  dispose(): void
}

const SYSTEM_INFO = {
  brand: 'devtools',
  model: 'iPhone 12',
  pixelRatio: 3,
  screenWidth: 390,
  screenHeight: 844,
  windowWidth: 390,
  windowHeight: 844,
  statusBarHeight: 47,
  language: 'zh_CN',
  version: '8.0.50',
  system: 'iOS 16.0',
  platform: 'devtools',
  SDKVersion: '3.5.0',
  safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
}

/** Asynchronous APIs a shop page might call; here each is recorded and fails. */
const RECORDED_APIS = [
  'navigateTo',
  'redirectTo',
  'reLaunch',
  'switchTab',
  'navigateBack',
  'showModal',
  'showActionSheet',
  'setNavigationBarTitle',
  'setNavigationBarColor',
  'showNavigationBarLoading',
  'hideNavigationBarLoading',
  'pageScrollTo',
  'startPullDownRefresh',
  'setClipboardData',
  'getClipboardData',
  'makePhoneCall',
  'previewImage',
  'chooseImage',
  'chooseMedia',
  'chooseAddress',
  'openLocation',
  'getLocation',
  'login',
  'checkSession',
  'getUserProfile',
  'getUserInfo',
  'getSetting',
  'openSetting',
  'authorize',
  'requestPayment',
  'requestSubscribeMessage',
  'request',
  'uploadFile',
  'downloadFile',
  'connectSocket',
  'getStorage',
  'setStorage',
  'removeStorage',
  'clearStorage',
  'getStorageInfo',
  'getNetworkType',
  'getImageInfo',
  'saveImageToPhotosAlbum',
  'vibrateShort',
  'vibrateLong',
  'showShareMenu',
  'hideShareMenu',
  'setTabBarBadge',
  'removeTabBarBadge',
  'showTabBarRedDot',
  'hideTabBarRedDot',
  'scanCode',
  'reportEvent',
]

export function loadMiniProgram(options: HarnessOptions): MiniProgram {
  const distDir = path.resolve(options.distDir)
  const appJsonFile = path.join(distDir, 'app.json')
  if (!existsSync(appJsonFile)) throw new Error(`${distDir} holds no built mini program (app.json): run \`npx taro build --type weapp\``)
  const appJson = JSON.parse(readFileSync(appJsonFile, 'utf8')) as { pages?: unknown }
  const pagesList = Array.isArray(appJson.pages) ? appJson.pages.filter((p): p is string => typeof p === 'string') : []
  const openid = options.openid ?? 'weapp-smoke-user'

  const wxCalls: WxCall[] = []
  const unexpected: WxCall[] = []
  const probes = new Set<string>()
  const cloudCalls: CloudCall[] = []
  const logs: LogEntry[] = []
  const errors: unknown[] = []
  const components = new Map<string, Record<string, unknown>>()
  const pageConfigs = new Map<string, Record<string, unknown>>()
  const pageStack: Array<Record<string, unknown>> = []
  const handles: PageHandle[] = []
  const storage = new Map<string, string>()
  const timers = new Set<NodeJS.Timeout>()
  let app: Record<string, unknown> | null = null
  let currentFile = ''

  // --- timers: tracked so dispose() can cancel them; a throw is recorded, as WeChat reports it to App.onError
  const guarded = (fn: unknown, args: unknown[]) => () => {
    try {
      if (typeof fn === 'function') fn(...args)
    } catch (error) {
      errors.push(error)
    }
  }
  const timerGlobals = {
    setTimeout(fn: unknown, ms?: number, ...args: unknown[]) {
      const handle: NodeJS.Timeout = setTimeout(() => {
        timers.delete(handle)
        guarded(fn, args)()
      }, ms)
      timers.add(handle)
      return handle
    },
    clearTimeout(handle: NodeJS.Timeout | undefined) {
      if (handle) timers.delete(handle)
      clearTimeout(handle)
    },
    setInterval(fn: unknown, ms?: number, ...args: unknown[]) {
      const handle = setInterval(guarded(fn, args), ms)
      timers.add(handle)
      return handle
    },
    clearInterval(handle: NodeJS.Timeout | undefined) {
      if (handle) timers.delete(handle)
      clearInterval(handle)
    },
  }

  const format = (args: unknown[]): string =>
    args
      .map((a) =>
        a instanceof Error || (typeof a === 'object' && a !== null && 'stack' in a) ? String((a as Error).stack) : typeof a === 'string' ? a : safeJson(a),
      )
      .join(' ')
  const consoleStandIn = {
    log: (...args: unknown[]) => options.verbose && console.log('[weapp]', ...args),
    info: (...args: unknown[]) => options.verbose && console.info('[weapp]', ...args),
    debug: (...args: unknown[]) => options.verbose && console.debug('[weapp]', ...args),
    warn: (...args: unknown[]) => {
      logs.push({ level: 'warn', message: format(args) })
      if (options.verbose) console.warn('[weapp]', ...args)
    },
    error: (...args: unknown[]) => {
      logs.push({ level: 'error', message: format(args) })
      if (options.verbose) console.error('[weapp]', ...args)
    },
  }

  const context = vm.createContext({ console: consoleStandIn, ...timerGlobals })
  // Values handed to the bundle are built in its own realm (its JSON, Promise, Error).
  const realm = vm.runInContext('({ JSON, Promise, Error })', context) as { JSON: JSON; Promise: PromiseConstructor; Error: ErrorConstructor }
  const toRealm = <T>(value: T): T => (value === undefined ? value : (realm.JSON.parse(JSON.stringify(value)) as T))
  const later = (fn: () => void): void => void timerGlobals.setTimeout(fn, 0)

  // --- wx
  type Callbacks = { success?: (res: unknown) => void; fail?: (res: unknown) => void; complete?: (res: unknown) => void }
  const callbacksOf = (arg: unknown): Callbacks => (isRecord(arg) ? (arg as Callbacks) : {})
  const succeed = (api: string, arg: unknown, extra: Record<string, unknown> = {}): void => {
    const cb = callbacksOf(arg)
    later(() => {
      const res = toRealm({ errMsg: `${api}:ok`, ...extra })
      cb.success?.(res)
      cb.complete?.(res)
    })
  }
  const record = (api: string, args: unknown[]): void => {
    wxCalls.push({ api, args: args.map(jsonCopy) })
  }
  const recorded =
    (api: string) =>
    (...args: unknown[]): undefined => {
      record(api, args)
      unexpected.push({ api, args: args.map(jsonCopy) })
      const cb = callbacksOf(args[0])
      later(() => {
        const res = toRealm({ errMsg: `${api}:fail not available in the weapp smoke harness` })
        cb.fail?.(res)
        cb.complete?.(res)
      })
      return undefined
    }
  const sync =
    <A extends unknown[], R>(api: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      record(api, args)
      return fn(...args)
    }
  const ok =
    (api: string) =>
    (arg?: unknown): void => {
      record(api, [arg])
      succeed(api, arg)
    }

  let cloudInitialised = false
  const cloud = {
    init: sync('cloud.init', (_options?: unknown) => {
      cloudInitialised = true
    }),
    callFunction: (arg: unknown): Promise<unknown> | undefined => {
      record('cloud.callFunction', [arg])
      const opts = isRecord(arg) ? arg : {}
      const name = typeof opts['name'] === 'string' ? opts['name'] : ''
      const data = opts['data'] ?? {}
      const cb = callbacksOf(arg)
      const call: CloudCall = { name, data: jsonCopy(data) }
      cloudCalls.push(call)
      const run = async (): Promise<unknown> => {
        if (!cloudInitialised) throw new Error("cloud.callFunction:fail Cloud API isn't enabled, please call wx.cloud.init first")
        if (!name) throw new Error('cloud.callFunction:fail parameter.name should be String')
        await options.beforeCallFunction?.(name, data)
        const res = await fetch(`${options.cloudUrl}/api/functions/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
          body: JSON.stringify(data),
        })
        call.status = res.status
        const body: unknown = await res.json().catch(() => null)
        call.result = body
        // A function that answers (even `{ ok: false }`) is a success for wx; a crash or timeout is not.
        if (res.status !== 200) throw new Error(`cloud.callFunction:fail HTTP ${res.status} ${safeJson(body)}`)
        return { errMsg: 'cloud.callFunction:ok', result: body, requestID: `local-${cloudCalls.length}` }
      }
      const promise = new realm.Promise<unknown>((resolve, reject) => {
        run().then(
          (res) => resolve(toRealm(res)),
          (error: unknown) => {
            const errMsg =
              error instanceof Error && error.message.startsWith('cloud.callFunction:fail') ? error.message : `cloud.callFunction:fail ${String(error)}`
            call.error = errMsg
            reject(Object.assign(new realm.Error(errMsg), { errCode: -1, errMsg }))
          },
        )
      })
      if (cb.success || cb.fail || cb.complete) {
        promise.then(
          (res) => {
            cb.success?.(res)
            cb.complete?.(res)
          },
          (err: unknown) => {
            cb.fail?.(err)
            cb.complete?.(err)
          },
        )
        return undefined
      }
      return promise
    },
    database: recorded('cloud.database'),
    uploadFile: recorded('cloud.uploadFile'),
    downloadFile: recorded('cloud.downloadFile'),
    getTempFileURL: recorded('cloud.getTempFileURL'),
    callContainer: recorded('cloud.callContainer'),
  }

  const selectorQuery = (): Record<string, unknown> => {
    const query: Record<string, unknown> = {}
    for (const method of ['in', 'select', 'selectAll', 'selectViewport', 'boundingClientRect', 'scrollOffset', 'fields', 'node', 'context']) {
      query[method] = () => query
    }
    query['exec'] = (cb?: unknown) => later(() => typeof cb === 'function' && cb(toRealm([])))
    return query
  }

  const wxTarget: Record<string, unknown> = {
    cloud,
    env: { USER_DATA_PATH: 'wxfile://usr' },
    getSystemInfoSync: sync('getSystemInfoSync', () => toRealm(SYSTEM_INFO)),
    getSystemInfo: (arg?: unknown) => {
      record('getSystemInfo', [arg])
      succeed('getSystemInfo', arg, SYSTEM_INFO)
    },
    getWindowInfo: sync('getWindowInfo', () => toRealm(SYSTEM_INFO)),
    getDeviceInfo: sync('getDeviceInfo', () => toRealm(SYSTEM_INFO)),
    getAppBaseInfo: sync('getAppBaseInfo', () => toRealm(SYSTEM_INFO)),
    getMenuButtonBoundingClientRect: sync('getMenuButtonBoundingClientRect', () =>
      toRealm({ width: 87, height: 32, top: 51, bottom: 83, left: 296, right: 383 }),
    ),
    getLaunchOptionsSync: sync('getLaunchOptionsSync', () => toRealm(launchOptions(pagesList[0] ?? ''))),
    canIUse: sync('canIUse', (_schema: unknown) => true),
    getStorageSync: sync('getStorageSync', (key: unknown) => {
      const raw = storage.get(String(key))
      return raw === undefined ? '' : (realm.JSON.parse(raw) as unknown)
    }),
    setStorageSync: sync('setStorageSync', (key: unknown, value: unknown) => void storage.set(String(key), JSON.stringify(value))),
    removeStorageSync: sync('removeStorageSync', (key: unknown) => void storage.delete(String(key))),
    showToast: ok('showToast'),
    hideToast: ok('hideToast'),
    showLoading: ok('showLoading'),
    hideLoading: ok('hideLoading'),
    stopPullDownRefresh: ok('stopPullDownRefresh'),
    nextTick: sync('nextTick', (fn: unknown) => later(guarded(fn, []))),
    createSelectorQuery: sync('createSelectorQuery', selectorQuery),
    onAppShow: sync('onAppShow', (_fn: unknown) => undefined),
    onAppHide: sync('onAppHide', (_fn: unknown) => undefined),
    offAppShow: sync('offAppShow', (_fn: unknown) => undefined),
    offAppHide: sync('offAppHide', (_fn: unknown) => undefined),
  }
  for (const api of RECORDED_APIS) wxTarget[api] ??= recorded(api)
  const wx = new Proxy(wxTarget, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target) && key !== 'webpackJsonp') probes.add(key)
      return Reflect.get(target, key)
    },
  })

  // --- App / Page / Component / getApp / getCurrentPages
  Object.assign(context, {
    wx,
    App(config: unknown) {
      if (app) errors.push(new Error('App() called twice'))
      if (!isRecord(config)) throw new TypeError('App() expects an object')
      app = config
    },
    Page(config: unknown) {
      if (!isRecord(config)) throw new TypeError('Page() expects an object')
      const route = currentFile.replace(/\.js$/, '')
      if (!pagesList.includes(route)) errors.push(new Error(`Page() called from ${currentFile}, which app.json does not list`))
      pageConfigs.set(route, config)
    },
    Component(config: unknown) {
      if (!isRecord(config)) throw new TypeError('Component() expects an object')
      components.set(currentFile.replace(/\.js$/, ''), config)
    },
    Behavior: (config: unknown) => config,
    getApp: () => app,
    getCurrentPages: () => pageStack.slice(),
  })

  // --- CommonJS, rooted at distDir (WeChat's `require` resolves relative to the file, .js optional)
  const cache = new Map<string, { exports: unknown }>()
  const load = (file: string): unknown => {
    const cached = cache.get(file)
    if (cached) return cached.exports
    const mod = { exports: {} as unknown }
    cache.set(file, mod)
    const source = readFileSync(path.join(distDir, file), 'utf8')
    const wrapper = vm.runInContext(`(function (require, module, exports) {${source}\n})`, context, { filename: path.join(distDir, file) }) as (
      r: (id: string) => unknown,
      m: { exports: unknown },
      e: unknown,
    ) => void
    const previous = currentFile
    currentFile = file
    try {
      wrapper((id: string) => load(resolve(file, id)), mod, mod.exports)
    } finally {
      currentFile = previous
    }
    return mod.exports
  }
  const resolve = (from: string, id: string): string => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), id))
    if (target.startsWith('..') || path.posix.isAbsolute(target)) throw new Error(`require('${id}') from ${from} leaves the mini program`)
    return target.endsWith('.js') ? target : `${target}.js`
  }

  // What WeChat does at start: app.js, then each page's script, then the custom components used.
  load('app.js')
  if (!app) throw new Error('app.js did not call App()')
  for (const page of pagesList) load(`${page}.js`)
  for (const page of pagesList) {
    for (const used of usingComponents(distDir, `${page}.json`)) if (!cache.has(used)) load(used)
  }

  function launch(route = pagesList[0] ?? '', query: Record<string, string> = {}): PageHandle {
    const theApp = app as Record<string, unknown>
    const config = pageConfigs.get(route)
    if (!config) throw new Error(`no Page() was registered for ${route} (registered: ${[...pageConfigs.keys()].join(', ') || 'none'})`)
    const options = toRealm(launchOptions(route, query))
    callIfFunction(theApp, 'onLaunch', options)
    callIfFunction(theApp, 'onShow', options)
    return openPage(route, config, query)
  }

  function openPage(route: string, config: Record<string, unknown>, query: Record<string, string>): PageHandle {
    const patches: Array<Record<string, unknown>> = []
    const instance: Record<string, unknown> = {}
    // WeChat copies the options' methods and fields onto the instance and deep-copies data.
    for (const [key, value] of Object.entries(config)) if (key !== 'data') instance[key] = value
    const data = toRealm(config['data'] ?? {}) as Record<string, unknown>
    Object.assign(instance, {
      data,
      route,
      __route__: route,
      options: toRealm(query),
      setData(patch: unknown, callback?: unknown) {
        if (!isRecord(patch)) {
          errors.push(new Error(`setData expects an object, got ${safeJson(patch)}`))
          return
        }
        patches.push(jsonCopy(patch) as Record<string, unknown>)
        const size = JSON.stringify(patch)?.length ?? 0
        if (size > 1024 * 1024) errors.push(new Error(`setData of ${size} bytes: WeChat refuses more than 1 MB`))
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined) {
            errors.push(new Error(`setData: ${key} is undefined (WeChat warns and does not set it)`))
            continue
          }
          setPath(data, key, toRealm(value))
        }
        if (typeof callback === 'function') later(guarded(callback.bind(instance), []))
      },
    })
    pageStack.push(instance)
    callIfFunction(instance, 'onLoad', toRealm(query))
    callIfFunction(instance, 'onShow')
    later(() => callIfFunction(instance, 'onReady'))

    const handle: PageHandle = {
      route,
      instance,
      data,
      patches,
      texts: () => textsOf(data['root']),
      trigger: (lifecycle, ...args) => callIfFunction(instance, lifecycle, ...args.map(toRealm)),
    }
    handles.push(handle)
    return handle
  }

  return {
    app: app as Record<string, unknown>,
    components,
    wxCalls,
    unexpected,
    probes,
    cloudCalls,
    logs,
    errors,
    launch,
    waitFor(predicate, description, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      return new Promise<void>((resolvePromise, reject) => {
        const poll = (): void => {
          if (predicate()) return resolvePromise()
          if (Date.now() < deadline) return void setTimeout(poll, 10)
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for: ${description}\n` +
                handles.map((h) => `${h.route} texts: ${safeJson(h.texts())}\n`).join('') +
                `cloud calls: ${safeJson(cloudCalls)}\nwx calls: ${wxCalls.map((c) => c.api).join(', ')}\n` +
                `errors: ${errors.map(String).join('; ') || 'none'}\nconsole: ${logs.map((l) => `${l.level}: ${l.message}`).join('\n') || 'none'}`,
            ),
          )
        }
        poll()
      })
    },
    dispose() {
      for (const handle of timers) clearTimeout(handle)
      timers.clear()
    },
  }
}

// --- helpers

function launchOptions(route: string, query: Record<string, string> = {}): Record<string, unknown> {
  return { path: route, query, scene: 1001, referrerInfo: {}, apiCategory: 'default' }
}

function usingComponents(distDir: string, jsonFile: string, seen = new Set<string>()): string[] {
  const file = path.join(distDir, jsonFile)
  if (!existsSync(file)) return []
  const json = JSON.parse(readFileSync(file, 'utf8')) as { usingComponents?: Record<string, unknown> }
  const out: string[] = []
  for (const target of Object.values(json.usingComponents ?? {})) {
    if (typeof target !== 'string' || target.startsWith('plugin://')) continue
    const base = target.startsWith('/') ? target.slice(1) : path.posix.join(path.posix.dirname(jsonFile), target)
    const js = `${path.posix.normalize(base)}.js`
    if (seen.has(js)) continue
    seen.add(js)
    out.push(js, ...usingComponents(distDir, js.replace(/\.js$/, '.json'), seen))
  }
  return out
}

function callIfFunction(target: Record<string, unknown>, name: string, ...args: unknown[]): unknown {
  const fn = target[name]
  return typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown).apply(target, args) : undefined
}

/** Applies one setData key: `a.b[0].c`, and Taro's `root.cn.[0].cn.[2].v`. */
export function setPath(data: Record<string, unknown>, key: string, value: unknown): void {
  const tokens = [...key.matchAll(/\[(\d+)\]|[^.[\]]+/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[0]))
  if (tokens.length === 0) return
  let node: Record<string | number, unknown> = data
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i] as string | number
    let next = node[token]
    if (typeof next !== 'object' || next === null) {
      next = typeof tokens[i + 1] === 'number' ? [] : {}
      node[token] = next
    }
    node = next as Record<string | number, unknown>
  }
  node[tokens[tokens.length - 1] as string | number] = value
}

/** Text nodes (`v`) of a Taro data tree (`cn` children), in document order. */
export function textsOf(node: unknown, out: string[] = []): string[] {
  if (!isRecord(node)) return out
  if (typeof node['v'] === 'string') out.push(node['v'])
  const children = node['cn']
  if (Array.isArray(children)) for (const child of children) textsOf(child, out)
  return out
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function jsonCopy(value: unknown): unknown {
  try {
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown)
  } catch {
    return String(value)
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
