// The fault table: what tests added, what is left of each fault, and the lookups the local
// cloud makes at its seams (gateway calls, callback deliveries, database requests). In memory
// only: a restart forgets every fault.
import type { DbFaultHook } from '../db/protocol'
import type { AnswerEnv } from './gateway'
import {
  DB_WRITE_ACTIONS,
  GATEWAY_APIS,
  parseFaultsInput,
  type CallbackKind,
  type FaultSpec,
  type FaultsInput,
  type GatewayApi,
  type GatewayMode,
  type NormalizedCallbackFault,
  type NormalizedDbFault,
  type NormalizedGatewayFault,
} from './spec'

export type FaultView = {
  id: string
  category: FaultSpec['category']
  /** Hits left (0 once spent). */
  remaining: number
  /** How many times it hit. */
  fired: number
  active: boolean
  /** crash only: matching durable writes still to come before the crash. */
  writesLeft?: number
} & Record<string, unknown>

/** What tests use in-process (`cloud.faults`); the HTTP control calls the same methods. */
export interface FaultControl {
  /** Adds faults (validated as a whole; throws FaultInputError naming the bad field). */
  add(input: FaultsInput): FaultView[]
  /** Every fault added since the last clear, spent ones included (active: false). */
  list(): FaultView[]
  clear(): void
  /**
   * What a db `crash` does. By default the process kills itself with SIGKILL; a test that runs
   * the cloud in-process can substitute a handler (the request then ends without a reply).
   */
  setCrashHandler(handler: (() => void) | undefined): void
}

/** Thrown when a crash handler returned instead of ending the process: the request gets no reply. */
export class InjectedCrash extends Error {
  constructor() {
    super('injected crash')
  }
}

type SpecOf = { gateway: NormalizedGatewayFault; callbacks: NormalizedCallbackFault; db: NormalizedDbFault }

type Entry = { id: string; fault: FaultSpec; remaining: number; fired: number; writesLeft?: number }

const killProcess = (): void => {
  process.kill(process.pid, 'SIGKILL')
}

export class FaultController implements FaultControl, DbFaultHook {
  private entries: Entry[] = []
  private nextId = 1
  private active = 0
  private crash: () => void = killProcess

  /** `answers`: how the simulator's answers look here (appid, provider, merchant keys), for injected refusals. */
  constructor(readonly answers: AnswerEnv) {}

  add(input: FaultsInput | unknown): FaultView[] {
    const specs = parseFaultsInput(input)
    const added = specs.map((fault): Entry => {
      const entry: Entry = { id: `f${this.nextId++}`, fault, remaining: fault.spec.times, fired: 0 }
      if (fault.category === 'db' && fault.spec.fault === 'crash') entry.writesLeft = fault.spec.afterWrites ?? 1
      return entry
    })
    this.entries.push(...added)
    this.active += added.length
    return added.map(view)
  }

  list(): FaultView[] {
    return this.entries.map(view)
  }

  clear(): void {
    this.entries = []
    this.active = 0
  }

  setCrashHandler(handler: (() => void) | undefined): void {
    this.crash = handler ?? killProcess
  }

  /** Whether any fault can still fire: the seams skip all work when not. */
  get armed(): boolean {
    return this.active > 0
  }

  /** The fault that hits this pay API call, if any (counted as fired). */
  takeGateway(apiName: string, mode: GatewayMode): NormalizedGatewayFault | undefined {
    if (!this.armed || !(GATEWAY_APIS as readonly string[]).includes(apiName)) return undefined
    const api = apiName as GatewayApi
    return this.take('gateway', (spec) => {
      if (spec.api !== '*' && spec.api !== api) return false
      if (spec.mode !== '*' && spec.mode !== mode) return false
      return spec.fault !== 'orderpaid' || api === 'closeOrder'
    })
  }

  /** The fault that hits this callback delivery attempt, if any. */
  takeCallback(kind: CallbackKind): NormalizedCallbackFault | undefined {
    if (!this.armed) return undefined
    return this.take('callbacks', (spec) => spec.kind === '*' || spec.kind === kind)
  }

  /** DbFaultHook: whether this database request answers the injected error instead of running. */
  failRequest(action: string, collections: readonly string[]): boolean {
    if (!this.armed) return false
    return this.take('db', (spec) => spec.fault === 'error' && dbMatches(spec, action, collections)) !== undefined
  }

  /** DbFaultHook: a request has been applied and is durable; a due crash happens now, before the reply. */
  afterDurable(action: string, collections: readonly string[]): void {
    if (!this.armed || !DB_WRITE_ACTIONS.includes(action)) return
    let due = false
    for (const entry of this.entries) {
      const { fault } = entry
      if (fault.category !== 'db' || fault.spec.fault !== 'crash' || entry.remaining === 0) continue
      if (!dbMatches(fault.spec, action, collections)) continue
      entry.writesLeft = (entry.writesLeft ?? 1) - 1
      if (entry.writesLeft > 0) continue
      this.spend(entry)
      due = true
    }
    if (!due) return
    console.error(`[local-cloud] injected fault: crash after ${action}${collections.length ? ` on ${collections.join(', ')}` : ''}`)
    this.crash()
    throw new InjectedCrash()
  }

  private take<C extends keyof SpecOf>(category: C, matches: (spec: SpecOf[C]) => boolean): SpecOf[C] | undefined {
    for (const entry of this.entries) {
      if (entry.remaining === 0 || entry.fault.category !== category) continue
      const spec = entry.fault.spec as SpecOf[C]
      // A crash is not taken per request: afterDurable counts the writes before it.
      if (entry.fault.category === 'db' && entry.fault.spec.fault === 'crash') continue
      if (!matches(spec)) continue
      this.spend(entry)
      return spec
    }
    return undefined
  }

  private spend(entry: Entry): void {
    entry.remaining -= 1
    entry.fired += 1
    if (entry.remaining === 0) this.active -= 1
  }
}

function dbMatches(spec: NormalizedDbFault, action: string, collections: readonly string[]): boolean {
  if (spec.action !== '*' && spec.action !== action) return false
  return spec.collection === '*' || collections.includes(spec.collection)
}

function view(entry: Entry): FaultView {
  return {
    id: entry.id,
    category: entry.fault.category,
    ...entry.fault.spec,
    remaining: entry.remaining,
    fired: entry.fired,
    active: entry.remaining > 0,
    ...(entry.writesLeft !== undefined ? { writesLeft: entry.writesLeft } : {}),
  }
}
