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
 * order); a page stack that follows navigateTo / redirectTo / navigateBack / switchTab /
 * reLaunch with WeChat's rules; a tap (`PageHandle.tap`) sent through the page's `eh` to each
 * element on the way up whose template in `base.wxml` binds `tap`, as WeChat bubbles it; and
 * `wx`: `wx.cloud.init` and `wx.cloud.callFunction` (sent over HTTP to a local cloud:
 * `POST <cloudUrl>/api/functions/<name>`), WeChat's address book (`chooseAddress`, answered
 * by the test, refused unless app.json declares it in `requiredPrivateInfos`), its cashier
 * (`requestPayment`: the test says pay, fail or cancel; paying tells the local cloud's pay
 * simulator, `POST <cloudUrl>/sim/pay`, as WeChat's cashier tells WeChat Pay), `showModal`
 * (the test decides, cancel by default), a few synchronous APIs answered with fixed values,
 * and every other common API as a recorder that fails the call. Nothing is laid out or drawn:
 * a test checks the page's data, not pixels.
 *
 * The context holds only what a mini program has: no `window`, `document`, `fetch`,
 * `setImmediate` or `MessageChannel`, so code that needs them fails here as it would on a phone.
 */
import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

export type WxCall = { api: string; args: unknown[] }
/** What WeChat's address book gives `wx.chooseAddress` (streetName, postalCode … may be missing). */
export type WechatAddress = {
  userName: string
  telNumber: string
  provinceName: string
  cityName: string
  countyName: string
  detailInfo: string
  streetName?: string
  postalCode?: string
  nationalCode?: string
}
/** How the address book answers: an address, or a failure (`chooseAddress:fail cancel`, `chooseAddress:fail auth deny`). */
export type ChooseAddressAnswer = WechatAddress | { errMsg: string }
/** What the shopper does in WeChat's cashier. */
export type CashierAnswer = 'pay' | 'fail' | 'cancel'
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
  /** WeChat's address book, asked at each `wx.chooseAddress`. Without it the call is only recorded and fails. */
  chooseAddress?: () => ChooseAddressAnswer
  /** WeChat's cashier behind `wx.requestPayment`. Without it the call is only recorded and fails. */
  cashier?: {
    /** What the shopper does with this payment sheet (the parameters as the bundle passed them). */
    answer: (payment: Record<string, unknown>) => CashierAnswer
    /** The trade WeChat Pay issued this prepay id for: the cashier knows a payment by its prepay id alone. */
    outTradeNoOf: (prepayId: string) => string | undefined
  }
  /** Whether the shopper taps the confirm button of a `wx.showModal`; without it every dialog is cancelled. */
  confirmModal?: (options: Record<string, unknown>) => boolean
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
  /**
   * Taps the innermost element whose text (its text nodes joined) is `text` (trimmed) or
   * matches the pattern, the first in document order: a `tap` event goes to the page's `eh`
   * for that element and each ancestor whose template binds `tap`, innermost first, stopping at
   * a `catchtap`, as WeChat bubbles it. Throws when no element shows `text` or nothing on the
   * way up listens for taps.
   */
  tap(text: string | RegExp): void
  /** Until onUnload (redirectTo, navigateBack …). */
  readonly unloaded: boolean
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
  /** The page on top of the stack (where navigation left the shopper). */
  currentPage(): PageHandle | undefined
  /** Resolves once nothing is pending for a while: no timeout of the bundle's, cloud call or payment in flight. */
  idle(timeoutMs?: number): Promise<void>
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
  const appJson = JSON.parse(readFileSync(appJsonFile, 'utf8')) as {
    pages?: unknown
    subPackages?: unknown
    tabBar?: { list?: unknown }
    requiredPrivateInfos?: unknown
  }
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [])
  // Subpackage pages (`<root>/<page>`) are pages like the others once loaded; WeChat loads them on first use.
  const subPackagePages = (Array.isArray(appJson.subPackages) ? appJson.subPackages : []).flatMap((sub: unknown) =>
    isRecord(sub) && typeof sub['root'] === 'string' ? strings(sub['pages']).map((page) => `${String(sub['root'])}/${page}`) : [],
  )
  const pagesList = [...strings(appJson.pages), ...subPackagePages]
  const tabPages = new Set(
    (Array.isArray(appJson.tabBar?.list) ? appJson.tabBar.list : []).map((item: unknown) => (isRecord(item) ? String(item['pagePath']) : '')),
  )
  const privateInfos = Array.isArray(appJson.requiredPrivateInfos) ? appJson.requiredPrivateInfos.map(String) : []
  const tapBindings = tapBindingsOf(distDir)
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
  const handleOf = new Map<Record<string, unknown>, PageHandle>()
  const unloadedHandles = new Set<PageHandle>()
  /** Tab pages opened so far: WeChat keeps them alive while the shopper is elsewhere. */
  const openTabs = new Map<string, Record<string, unknown>>()
  const storage = new Map<string, string>()
  const timers = new Set<NodeJS.Timeout>()
  /** The one-shot subset of `timers`: what idle() waits for (an interval never ends by itself). */
  const timeouts = new Set<NodeJS.Timeout>()
  /** Cloud calls and payments under way. */
  let inFlight = 0
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
        timeouts.delete(handle)
        guarded(fn, args)()
      }, ms)
      timers.add(handle)
      timeouts.add(handle)
      return handle
    },
    clearTimeout(handle: NodeJS.Timeout | undefined) {
      if (handle) {
        timers.delete(handle)
        timeouts.delete(handle)
      }
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
  type Outcome = { errMsg: string } & Record<string, unknown>
  /**
   * Answers an asynchronous API as WeChat does: through success/fail/complete when the call
   * passed any, otherwise through the Promise it returns (base library 2.10.2 and later; Taro
   * hands some APIs, requestPayment among them, straight to `wx` without callbacks).
   */
  const answer = (arg: unknown, outcome: Outcome | Promise<Outcome>): Promise<unknown> | undefined => {
    const cb = callbacksOf(arg)
    const settled = Promise.resolve(outcome).catch((error: unknown): Outcome => {
      errors.push(error)
      return { errMsg: `fail ${String(error)}` }
    })
    const failed = (res: Outcome): boolean => !res.errMsg.endsWith(':ok')
    if (cb.success || cb.fail || cb.complete) {
      void settled.then((res) =>
        later(() => {
          const copy = toRealm(res)
          if (failed(res)) cb.fail?.(copy)
          else cb.success?.(copy)
          cb.complete?.(copy)
        }),
      )
      return undefined
    }
    return new realm.Promise<unknown>((resolve, reject) => {
      void settled.then((res) => later(() => (failed(res) ? reject : resolve)(toRealm(res))))
    })
  }
  const succeed = (api: string, arg: unknown, extra: Record<string, unknown> = {}) => answer(arg, { errMsg: `${api}:ok`, ...extra })
  const failWith = (arg: unknown, errMsg: string) => answer(arg, { errMsg })
  const record = (api: string, args: unknown[]): void => {
    wxCalls.push({ api, args: args.map(jsonCopy) })
  }
  const unimplemented = (api: string, args: unknown[]): Promise<unknown> | undefined => {
    unexpected.push({ api, args: args.map(jsonCopy) })
    const promise = failWith(args[0], `${api}:fail not available in the weapp smoke harness`)
    // Already a failure of the test (`unexpected`): an unawaited rejection must not also end the run.
    promise?.catch(() => undefined)
    return promise
  }
  const recorded =
    (api: string) =>
    (...args: unknown[]): Promise<unknown> | undefined => {
      record(api, args)
      return unimplemented(api, args)
    }
  const sync =
    <A extends unknown[], R>(api: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      record(api, args)
      return fn(...args)
    }
  const ok =
    (api: string) =>
    (arg?: unknown): Promise<unknown> | undefined => {
      record(api, [arg])
      return succeed(api, arg)
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
        inFlight++
        run()
          .finally(() => inFlight--)
          .then(
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

  // --- WeChat's own sheets: the address book, the cashier, a modal dialog
  const chooseAddress = (arg?: unknown): Promise<unknown> | undefined => {
    record('chooseAddress', [arg])
    // WeChat refuses the private-information APIs that app.json does not declare (since base library 2.25).
    if (!privateInfos.includes('chooseAddress')) {
      errors.push(new Error('wx.chooseAddress is not declared in app.json requiredPrivateInfos: WeChat fails every call'))
      return failWith(arg, 'chooseAddress:fail the api need to be declared in the requiredPrivateInfos field in app.json/ext.json')
    }
    if (!options.chooseAddress) return unimplemented('chooseAddress', [arg])
    const picked = options.chooseAddress()
    if ('errMsg' in picked) return failWith(arg, picked.errMsg)
    return succeed('chooseAddress', arg, { nationalCode: '', postalCode: '', ...picked })
  }

  const PAYMENT_FIELDS = ['timeStamp', 'nonceStr', 'package', 'paySign'] as const
  const requestPayment = (arg?: unknown): Promise<unknown> | undefined => {
    record('requestPayment', [arg])
    const { cashier } = options
    if (!cashier) return unimplemented('requestPayment', [arg])
    const params = isRecord(arg) ? arg : {}
    const pay = async (): Promise<string> => {
      const missing = PAYMENT_FIELDS.filter((key) => typeof params[key] !== 'string' || params[key] === '')
      if (missing.length > 0) return `requestPayment:fail parameter error: ${missing.join(', ')} should be a non-empty String`
      const signType = params['signType'] ?? 'MD5'
      if (!['MD5', 'HMAC-SHA256', 'RSA'].includes(String(signType))) return `requestPayment:fail parameter error: signType ${String(signType)}`
      const prepayId = /^prepay_id=([\w-]+)$/.exec(String(params['package']))?.[1]
      const outTradeNo = prepayId === undefined ? undefined : cashier.outTradeNoOf(prepayId)
      if (outTradeNo === undefined) return 'requestPayment:fail invalid package: no payment has this prepay_id'
      const choice = cashier.answer(jsonCopy(params) as Record<string, unknown>)
      if (choice === 'cancel') return 'requestPayment:fail cancel'
      // What the shopper's tap in WeChat's cashier does: WeChat Pay settles the trade (and then notifies the merchant).
      const res = await fetch(`${options.cloudUrl}/sim/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outTradeNo, result: choice === 'pay' ? 'SUCCESS' : 'FAIL' }),
      })
      const body: unknown = await res.json().catch(() => null)
      if (res.status !== 200)
        return `requestPayment:fail ${isRecord(body) && isRecord(body['error']) ? String(body['error']['message']) : `HTTP ${res.status}`}`
      return choice === 'pay' ? 'requestPayment:ok' : 'requestPayment:fail 支付失败'
    }
    inFlight++
    return answer(
      arg,
      pay()
        .catch((error: unknown) => `requestPayment:fail ${String(error)}`)
        .then((errMsg) => {
          inFlight--
          return { errMsg }
        }),
    )
  }

  const showModal = (arg?: unknown): Promise<unknown> | undefined => {
    record('showModal', [arg])
    const confirm = options.confirmModal?.(jsonCopy(isRecord(arg) ? arg : {}) as Record<string, unknown>) ?? false
    return succeed('showModal', arg, { confirm, cancel: !confirm, content: null })
  }

  // --- navigation: the page stack, with WeChat's rules for tab pages and the 10-page limit
  type NavApi = 'navigateTo' | 'redirectTo' | 'navigateBack' | 'switchTab' | 'reLaunch'
  const navigation = (api: NavApi) => (arg?: unknown) => {
    record(api, [arg])
    const opts = isRecord(arg) ? arg : {}
    const done = new Promise<Outcome>((resolve) =>
      later(() => {
        let problem: string | null
        try {
          problem = navigate(api, opts)
        } catch (error) {
          errors.push(error)
          problem = String(error)
        }
        resolve({ errMsg: problem ? `${api}:fail ${problem}` : `${api}:ok` })
      }),
    )
    return answer(arg, done)
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
      return succeed('getSystemInfo', arg, SYSTEM_INFO)
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
    chooseAddress,
    requestPayment,
    showModal,
    navigateTo: navigation('navigateTo'),
    redirectTo: navigation('redirectTo'),
    navigateBack: navigation('navigateBack'),
    switchTab: navigation('switchTab'),
    reLaunch: navigation('reLaunch'),
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

  /** Does what a navigation API asks; the reason WeChat would give for refusing it, or null. */
  function navigate(api: NavApi, opts: Record<string, unknown>): string | null {
    const top = pageStack[pageStack.length - 1]
    if (api === 'navigateBack') {
      if (pageStack.length <= 1) return 'cannot navigate back at first page.'
      const delta = Math.min(pageStack.length - 1, Math.max(1, Math.trunc(Number(opts['delta'] ?? 1)) || 1))
      for (let i = 0; i < delta; i++) closePage(pageStack.pop())
      callIfFunction(pageStack[pageStack.length - 1] ?? {}, 'onShow')
      return null
    }
    const url = typeof opts['url'] === 'string' ? opts['url'] : ''
    const { route, query } = pageUrl(url, typeof top?.['route'] === 'string' ? top['route'] : '')
    const config = pageConfigs.get(route)
    if (!config) return `page "${route}" is not found`
    const isTab = tabPages.has(route)
    if ((api === 'navigateTo' || api === 'redirectTo') && isTab) return `can not ${api} a tabbar page`
    if (api === 'switchTab' && !isTab) return 'can not switch to no-tabBar page'
    if (api === 'navigateTo') {
      if (pageStack.length >= 10) return 'webview count limit exceed'
      if (top) callIfFunction(top, 'onHide')
    } else if (api === 'redirectTo') {
      closePage(pageStack.pop())
    } else {
      // switchTab closes every page but the tab pages, which stay alive hidden; reLaunch closes them all.
      while (pageStack.length > 0) {
        const page = pageStack.pop() as Record<string, unknown>
        if (api === 'switchTab' && tabPages.has(String(page['route']))) {
          if (page === top) callIfFunction(page, 'onHide')
        } else closePage(page)
      }
      if (api === 'reLaunch') for (const page of openTabs.values()) closePage(page)
      const open = api === 'switchTab' ? openTabs.get(route) : undefined
      if (open) {
        pageStack.push(open)
        callIfFunction(open, 'onShow')
        return null
      }
    }
    // switchTab takes no query
    openPage(route, config, api === 'switchTab' ? {} : query)
    return null
  }

  function closePage(page: Record<string, unknown> | undefined): void {
    if (!page) return
    openTabs.forEach((open, route) => open === page && openTabs.delete(route))
    const handle = handleOf.get(page)
    if (handle?.unloaded) return
    callIfFunction(page, 'onUnload')
    if (handle) unloadedHandles.add(handle)
  }

  function tap(route: string, instance: Record<string, unknown>, data: Record<string, unknown>, text: string | RegExp, openedAt: number): void {
    const chain = elementPath(data['root'], (shown) => (typeof text === 'string' ? shown.trim() === text : text.test(shown)))
    if (!chain) throw new Error(`no element of ${route} shows ${String(text)}: ${safeJson(textsOf(data['root']))}`)
    const target = chain[chain.length - 1] as Record<string, unknown>
    const listening = chain.filter((node) => tapBindings.has(String(node['nn']))).reverse()
    if (listening.length === 0) throw new Error(`nothing around ${String(text)} on ${route} listens for a tap`)
    const timeStamp = Date.now() - openedAt
    for (const node of listening) {
      try {
        callIfFunction(instance, 'eh', toRealm(tapEvent(target, node, timeStamp)))
      } catch (error) {
        errors.push(error)
      }
      if (tapBindings.get(String(node['nn'])) === 'catch') break
    }
  }

  function openPage(route: string, config: Record<string, unknown>, query: Record<string, string>): PageHandle {
    const openedAt = Date.now()
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
    const handle: PageHandle = {
      route,
      instance,
      data,
      patches,
      texts: () => textsOf(data['root']),
      trigger: (lifecycle, ...args) => callIfFunction(instance, lifecycle, ...args.map(toRealm)),
      tap: (text) => tap(route, instance, data, text, openedAt),
      get unloaded() {
        return unloadedHandles.has(handle)
      },
    }
    handles.push(handle)
    handleOf.set(instance, handle)
    if (tabPages.has(route)) openTabs.set(route, instance)

    pageStack.push(instance)
    callIfFunction(instance, 'onLoad', toRealm(query))
    callIfFunction(instance, 'onShow')
    later(() => callIfFunction(instance, 'onReady'))
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
    currentPage: () => handleOf.get(pageStack[pageStack.length - 1] ?? {}),
    idle(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      let quiet = 0
      return new Promise<void>((resolvePromise, reject) => {
        const poll = (): void => {
          // Quiet for a few polls in a row: a continuation may arm the next timeout in between.
          quiet = timeouts.size === 0 && inFlight === 0 ? quiet + 1 : 0
          if (quiet >= 3) return resolvePromise()
          if (Date.now() < deadline) return void setTimeout(poll, 10)
          reject(new Error(`still busy after ${timeoutMs} ms: ${timeouts.size} timeouts pending, ${inFlight} cloud calls or payments in flight`))
        }
        poll()
      })
    },
    waitFor(predicate, description, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      return new Promise<void>((resolvePromise, reject) => {
        const poll = (): void => {
          if (predicate()) return resolvePromise()
          if (Date.now() < deadline) return void setTimeout(poll, 10)
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for: ${description}\n` +
                handles.map((h) => `${h.route}${h.unloaded ? ' (unloaded)' : ''} texts: ${safeJson(h.texts())}\n`).join('') +
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
      timeouts.clear()
    },
  }
}

// --- helpers

function launchOptions(route: string, query: Record<string, string> = {}): Record<string, unknown> {
  return { path: route, query, scene: 1001, referrerInfo: {}, apiCategory: 'default' }
}

/** A page URL as the navigation APIs take it: `/pages/a/index?x=1`, or relative to the current page. WeChat does not decode the query. */
function pageUrl(url: string, from: string): { route: string; query: Record<string, string> } {
  const mark = url.indexOf('?')
  const pathPart = mark === -1 ? url : url.slice(0, mark)
  const search = mark === -1 ? '' : url.slice(mark + 1)
  const route = path.posix.normalize(pathPart.startsWith('/') ? pathPart.slice(1) : path.posix.join(path.posix.dirname(from), pathPart))
  const query: Record<string, string> = {}
  for (const pair of search.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    query[eq === -1 ? pair : pair.slice(0, eq)] = eq === -1 ? '' : pair.slice(eq + 1)
  }
  return { route, query }
}

/**
 * Which node names (`nn`) hear a tap: the element of each `tmpl_0_<nn>` template in base.wxml,
 * with `bindtap="eh"` (bubbles on) or `catchtap="eh"` (stops there). Taro leaves the binding
 * out of the templates of nodes without a click handler.
 */
function tapBindingsOf(distDir: string): Map<string, 'bind' | 'catch'> {
  const file = path.join(distDir, 'base.wxml')
  const bindings = new Map<string, 'bind' | 'catch'>()
  if (!existsSync(file)) return bindings
  const wxml = readFileSync(file, 'utf8')
  for (const match of wxml.matchAll(/<template name="tmpl_0_([^"]+)">\s*<[\w-]+((?:[^>"]|"[^"]*")*)>/g)) {
    const attributes = match[2] ?? ''
    if (/\scatchtap="eh"/.test(attributes)) bindings.set(match[1] as string, 'catch')
    else if (/\sbindtap="eh"/.test(attributes)) bindings.set(match[1] as string, 'bind')
  }
  return bindings
}

/**
 * The elements from the top of a Taro data tree down to the first element, in document order,
 * whose text (its text nodes joined) matches while none of its children's does: the innermost.
 */
export function elementPath(
  node: unknown,
  matches: (text: string) => boolean,
  trail: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> | null {
  const children = isRecord(node) && Array.isArray(node['cn']) ? (node['cn'] as unknown[]) : []
  for (const child of children) {
    if (!isRecord(child) || typeof child['v'] === 'string') continue
    const found = elementPath(child, matches, [...trail, child])
    if (found) return found
  }
  return trail.length > 0 && matches(textsOf(node).join('')) ? trail : null
}

/** A tap as WeChat delivers it to `bindtap`: `target` is where the finger was, `currentTarget` the element bound (`id` and `data-sid` from base.wxml). */
function tapEvent(target: Record<string, unknown>, current: Record<string, unknown>, timeStamp: number): Record<string, unknown> {
  const ref = (node: Record<string, unknown>) => ({ id: String(node['uid'] || node['sid'] || ''), offsetLeft: 0, offsetTop: 0, dataset: { sid: node['sid'] } })
  const touch = { identifier: 0, pageX: 0, pageY: 0, clientX: 0, clientY: 0, force: 1 }
  return {
    type: 'tap',
    timeStamp,
    target: ref(target),
    currentTarget: ref(current),
    mark: {},
    detail: { x: 0, y: 0 },
    touches: [],
    changedTouches: [touch],
    mut: false,
    _userTap: true,
  }
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
