import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { baseFunctionEnv, callerEnv, invocationEnv, type CallSource, type Caller } from './functionEnv'

export type { CallSource, Caller }

export type CallerContext = { source: CallSource; openid?: string; appid: string; functionName: string }

export type InvokeOutcome =
  | { ok: true; result: unknown; durationMs: number }
  | { ok: false; code: 'FUNCTION_ERROR' | 'FUNCTION_TIMEOUT' | 'FUNCTION_CRASHED'; message: string; durationMs: number }

export type RunnerOptions = {
  functionsDir: string
  /** Where the function's wx-server-sdk sends database and cloudPay requests. */
  adminUrl: string
  envId: string
  appid: string
  /** The functions' configuration (PAY_MODE, WXPAY_*, …); only what functionEnv.ts allows reaches them. */
  functionEnv: Record<string, string | undefined>
  defaultTimeoutSeconds: number
  netGuard?: string
}

type Pending = { resolve: (outcome: InvokeOutcome) => void; startedAt: number; timer: NodeJS.Timeout; token: string }
/** `retired`: replaced by a deploy; it finishes what it has, then stops. */
type Instance = { worker: Worker; pending: Map<number, Pending>; timeoutSeconds: number; retired: boolean }

export type Deployed = { name: string; dir: string; build: string; replaced: boolean }

/** How long a replaced instance lives on after its last invocation ended: work it left running (a timed-out handler) gets to land. */
const RETIRE_GRACE_MS = 2000

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

/**
 * Runs the built, deployable function folders: `<functionsDir>/<name>/index.js` exporting
 * `main(event, context)`. Each function lives in its own worker thread (its own modules and
 * configuration); each invocation gets its own WeChat context.
 */
export class FunctionRunner {
  private readonly instances = new Map<string, Instance>()
  private readonly retired = new Set<Instance>()
  private readonly callers = new Map<string, CallerContext>()
  /** Functions deployed into this running cloud (`deploy`): name → their folder, instead of functionsDir/name. */
  private readonly deployed = new Map<string, string>()
  private deployRoot: string | undefined
  private nextId = 1

  constructor(private readonly options: RunnerOptions) {}

  exists(name: string): boolean {
    return NAME.test(name) && existsSync(path.join(this.dirOf(name), 'index.js'))
  }

  /** The folder a function runs from: the last one deployed into this cloud, else the built one. */
  dirOf(name: string): string {
    return this.deployed.get(name) ?? path.join(this.options.functionsDir, name)
  }

  /**
   * Deploys a function folder into the running cloud, as a cloud deploy does: the files land in a
   * fresh folder, invocations from now on start a new instance there, and the instance running
   * the old code finishes the invocations it has in flight, then stops. No restart, nothing lost.
   * Triggers are read at start: a deploy does not change the timers.
   */
  async deploy(name: string, files: ReadonlyMap<string, Buffer>): Promise<Deployed> {
    if (!NAME.test(name)) throw new Error(`not a function name: ${name}`)
    if (!files.has('index.js')) throw new Error('the folder has no index.js')
    const replaced = this.exists(name)
    this.deployRoot ??= mkdtempSync(path.join(tmpdir(), 'local-cloud-deployed-'))
    const dir = await fs.mkdtemp(path.join(this.deployRoot, `${name}-`))
    for (const [rel, bytes] of files) {
      const file = path.join(dir, ...rel.split('/'))
      await fs.mkdir(path.dirname(file), { recursive: true })
      await fs.writeFile(file, bytes)
    }
    const previous = this.deployed.get(name)
    this.deployed.set(name, dir)
    const instance = this.instances.get(name)
    if (instance) {
      this.instances.delete(name)
      this.retire(instance)
    }
    // The folder deployed before this one is no longer used by new instances; a retired one may still run from it.
    if (previous) setTimeout(() => void fs.rm(previous, { recursive: true, force: true }), 60_000).unref()
    return { name, dir, build: buildHashOf(dir), replaced }
  }

  /** The context behind a `wxCloudApiToken` the SDK sent: who called, from which function. */
  callerOf(token: string): CallerContext | undefined {
    return this.callers.get(token)
  }

  /**
   * Registers a caller for one invocation of `name` run in a process of your own (a debugger, the
   * cold-start benchmark) and returns its token, honoured for `ttlMs`. That process builds its
   * environment itself (`invocationEnv` in functionEnv.ts): no environment leaves the local cloud.
   */
  registerCaller(name: string, caller: Caller, ttlMs = 60_000): string {
    const token = randomBytes(16).toString('hex')
    this.callers.set(token, { source: caller.source, openid: caller.openid, appid: this.options.appid, functionName: name })
    setTimeout(() => this.callers.delete(token), ttlMs).unref()
    return token
  }

  /**
   * In process: the whole environment for running one invocation of `name` in a process of your
   * own, with a registered caller (see `invocationEnv`). No endpoint hands this out.
   */
  externalInvocation(name: string, caller: Caller, ttlMs = 60_000): Record<string, string> {
    return invocationEnv(this.options, caller, this.registerCaller(name, caller, ttlMs))
  }

  invoke(name: string, event: unknown, caller: Caller): Promise<InvokeOutcome> {
    if (!this.exists(name)) throw new Error(`function ${name} is not deployed`)
    const instance = this.instance(name)
    const id = this.nextId++
    const token = randomBytes(16).toString('hex')
    const { timeoutSeconds } = instance
    const requestId = randomBytes(16).toString('hex')
    this.callers.set(token, { source: caller.source, openid: caller.openid, appid: this.options.appid, functionName: name })
    const env = callerEnv(this.options.appid, caller, token)
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutSeconds * 1000,
      request_id: requestId,
      function_name: name,
      function_version: '$LATEST',
      namespace: this.options.envId,
      tencentcloud_region: 'local',
    }
    return new Promise<InvokeOutcome>((resolve) => {
      const startedAt = performance.now()
      const timer = setTimeout(() => {
        this.settle(instance, id, {
          ok: false,
          code: 'FUNCTION_TIMEOUT',
          message: `Invoking task timed out after ${timeoutSeconds} seconds (function ${name}, request ${requestId})`,
          durationMs: performance.now() - startedAt,
        })
      }, timeoutSeconds * 1000)
      instance.pending.set(id, { resolve, startedAt, timer, token })
      try {
        instance.worker.postMessage({ id, event, env, context })
      } catch (error) {
        // An event the worker cannot receive (too deep to clone): nothing is left pending.
        instance.pending.delete(id)
        clearTimeout(timer)
        this.callers.delete(token)
        throw error
      }
    })
  }

  async close(): Promise<void> {
    const workers = [...this.instances.values(), ...this.retired].map((instance) => instance.worker)
    this.instances.clear()
    this.retired.clear()
    await Promise.all(workers.map((worker) => worker.terminate()))
    if (this.deployRoot) rmSync(this.deployRoot, { recursive: true, force: true })
  }

  private retire(instance: Instance): void {
    instance.retired = true
    this.retired.add(instance)
    this.stopIfIdle(instance)
  }

  private stopIfIdle(instance: Instance): void {
    if (!instance.retired || instance.pending.size > 0) return
    setTimeout(() => {
      if (instance.pending.size > 0 || !this.retired.delete(instance)) return
      void instance.worker.terminate()
    }, RETIRE_GRACE_MS).unref()
  }

  private instance(name: string): Instance {
    const existing = this.instances.get(name)
    if (existing) return existing
    const worker = new Worker(path.join(__dirname, 'worker.cjs'), {
      workerData: { functionDir: this.dirOf(name), netGuard: this.options.netGuard },
      env: baseFunctionEnv(this.options),
      stdout: false,
      stderr: false,
    })
    worker.unref()
    // Read once per instance, like the rest of the deployed folder.
    const instance: Instance = { worker, pending: new Map(), timeoutSeconds: this.timeoutOf(name), retired: false }
    worker.on('message', (msg: { id: number; ok: boolean; json?: string; message?: string }) => {
      const pending = instance.pending.get(msg.id)
      if (!pending) return
      const durationMs = performance.now() - pending.startedAt
      if (msg.ok) this.settle(instance, msg.id, { ok: true, result: JSON.parse(msg.json ?? 'null'), durationMs })
      else this.settle(instance, msg.id, { ok: false, code: 'FUNCTION_ERROR', message: msg.message ?? 'unknown error', durationMs })
    })
    const crashed = (reason: string): void => {
      if (this.instances.get(name) === instance) this.instances.delete(name)
      this.retired.delete(instance)
      for (const id of [...instance.pending.keys()]) {
        const pending = instance.pending.get(id)!
        this.settle(instance, id, { ok: false, code: 'FUNCTION_CRASHED', message: reason, durationMs: performance.now() - pending.startedAt })
      }
    }
    worker.on('error', (error) => crashed(`function ${name} crashed: ${String(error.stack ?? error)}`))
    worker.on('exit', (code) => crashed(`function ${name} exited with code ${code}`))
    this.instances.set(name, instance)
    return instance
  }

  private settle(instance: Instance, id: number, outcome: InvokeOutcome): void {
    const pending = instance.pending.get(id)
    if (!pending) return
    instance.pending.delete(id)
    clearTimeout(pending.timer)
    this.callers.delete(pending.token)
    pending.resolve(outcome)
    this.stopIfIdle(instance)
  }

  private timeoutOf(name: string): number {
    const file = path.join(this.dirOf(name), 'config.json')
    try {
      const config: unknown = JSON.parse(readFileSync(file, 'utf8'))
      const timeout = (config as { timeout?: unknown }).timeout
      if (typeof timeout === 'number' && timeout > 0 && timeout <= 900) return timeout
    } catch {
      // no config.json, or no timeout in it: the cloud's default applies
    }
    return this.options.defaultTimeoutSeconds
  }
}

/** The hash a folder's build.json records (scripts/build-functions.ts writes it), or `unknown`. */
function buildHashOf(dir: string): string {
  try {
    const hash = (JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8')) as { hash?: unknown }).hash
    return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? hash : 'unknown'
  } catch {
    return 'unknown'
  }
}
