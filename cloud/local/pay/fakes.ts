// In-memory stand-ins for the ports, for the simulator's own tests.
import type { CallerContext, FunctionInvoker, HttpPoster, SimClock, SimDoc, SimStore } from './ports'
import { createPaySimulator, type PaySimulator, type PaySimulatorDeps } from './simulator'

export const APPID = 'wxd930ea5d5a258f4f'
export const ENV_ID = 'sim-env-1'
export const MCH_ID = '10000100'
/** The key of the official signature vector; test-only. */
export const MERCHANT_KEY = '192006250b4c09247ec02edce69f6a2d'
export const SUB_MCH_ID = '1900000110'
export const CLOUDPAY_KEY = 'c10dc10dc10dc10dc10dc10dc10dc10d'
export const ALICE = 'oAlice-openid_x'
export const ALICE_TOKEN = 'token-alice'
export const NO_OPENID_TOKEN = 'token-http'

/** Lets pending promise chains (in-memory store, fake invoker) run to completion. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

export class FakeClock implements SimClock {
  private timers: Array<{ at: number; seq: number; fn: () => void }> = []
  private seq = 0
  constructor(public current = Date.UTC(2024, 2, 21, 5, 20, 7)) {}

  now(): number {
    return this.current
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn }
    this.timers.push(timer)
    return { cancel: () => void (this.timers = this.timers.filter((t) => t !== timer)) }
  }

  /** Due times of the armed timers, earliest first. */
  pending(): number[] {
    return this.timers.map((t) => t.at).sort((a, b) => a - b)
  }

  /** Moves time forward, firing due timers in order and letting their work finish. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms
    for (;;) {
      await flush()
      const next = [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!next || next.at > target) break
      this.timers = this.timers.filter((t) => t !== next)
      this.current = next.at
      next.fn()
    }
    this.current = target
    await flush()
  }
}

export class MemoryStore implements SimStore {
  readonly collections = new Map<string, Map<string, string>>()
  failPuts = false
  /** Collections whose writes fail, to stage a crash between two writes. */
  readonly failPutsTo = new Set<string>()

  private of(collection: string): Map<string, string> {
    let docs = this.collections.get(collection)
    if (!docs) this.collections.set(collection, (docs = new Map()))
    return docs
  }

  async get(collection: string, id: string): Promise<SimDoc | null> {
    const text = this.of(collection).get(id)
    return text === undefined ? null : (JSON.parse(text) as SimDoc)
  }

  async put(collection: string, doc: SimDoc): Promise<void> {
    await Promise.resolve()
    if (this.failPuts || this.failPutsTo.has(collection)) throw new Error('disk full')
    this.of(collection).set(doc._id, JSON.stringify(doc))
  }

  async all(collection: string): Promise<SimDoc[]> {
    return [...this.of(collection).values()].map((text) => JSON.parse(text) as SimDoc)
  }
}

type Reply<T> = (target: string, payload: T, call: number) => unknown

export class FakeInvoker implements FunctionInvoker {
  readonly calls: Array<{ functionName: string; event: Record<string, unknown>; at: number }> = []
  reply: Reply<Record<string, unknown>> = () => ({ errcode: 0, errmsg: 'OK' })
  constructor(private readonly clock: SimClock) {}

  async invokePayCallback(functionName: string, event: unknown): Promise<unknown> {
    const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>
    this.calls.push({ functionName, event: copy, at: this.clock.now() })
    return this.reply(functionName, copy, this.calls.length)
  }
}

export class FakePoster implements HttpPoster {
  readonly calls: Array<{ url: string; body: string; contentType: string; at: number }> = []
  reply: Reply<string> = () => ({ status: 200, body: '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>' })
  constructor(private readonly clock: SimClock) {}

  async post(url: string, body: string, contentType: string): Promise<{ status: number; body: string }> {
    this.calls.push({ url, body, contentType, at: this.clock.now() })
    return (await this.reply(url, body, this.calls.length)) as { status: number; body: string }
  }
}

export function callerOf(token: string): CallerContext | undefined {
  if (token === ALICE_TOKEN) return { openid: ALICE, appid: APPID, source: 'wx_client', functionName: 'createOrder' }
  if (token === NO_OPENID_TOKEN) return { source: 'wx_http', functionName: 'payNotify' }
  return undefined
}

export interface Harness {
  sim: PaySimulator
  clock: FakeClock
  store: MemoryStore
  invoker: FakeInvoker
  poster: FakePoster
  /** A second simulator over the same store and clock, as after a restart. */
  restart(): PaySimulator
}

export function harness(overrides: Partial<PaySimulatorDeps> = {}, store = new MemoryStore(), clock = new FakeClock()): Harness {
  const invoker = new FakeInvoker(clock)
  const poster = new FakePoster(clock)
  const deps: PaySimulatorDeps = {
    store,
    invoker,
    poster,
    clock,
    timeScale: 1,
    appid: APPID,
    envId: ENV_ID,
    merchants: [{ mchId: MCH_ID, key: MERCHANT_KEY }],
    boundSubMchIds: [SUB_MCH_ID],
    cloudPayKey: CLOUDPAY_KEY,
    resolveCaller: callerOf,
    ...overrides,
  }
  return { sim: createPaySimulator(deps), clock, store, invoker, poster, restart: () => createPaySimulator(deps) }
}

export function unifiedOrderData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    function_name: 'payNotify',
    env_id: ENV_ID,
    sub_mch_id: SUB_MCH_ID,
    nonce_str: 'n0nce5tr',
    body: '测试商品-Tee',
    out_trade_no: 'T20240321000001',
    total_fee: 1990,
    spbill_create_ip: '127.0.0.1',
    trade_type: 'JSAPI',
    ...overrides,
  }
}
