import { createHash } from 'node:crypto'
import path from 'node:path'
import { Engine } from './db/engine'
import { DatabaseProtocol } from './db/protocol'
import { FaultController, faultyInvoker, faultyPoster, type FaultControl } from './faults'
import { listen } from './http/server'
import { OpenApiEmulator } from './openapi/emulator'
import { createPaySimulator, DEFAULT_SERVICE_PROVIDER, type PaySimulator } from './pay/simulator'
import { FunctionRunner } from './runner/runner'
import { readTimerTriggers, startTimers } from './runner/timers'
import { COLLECTIONS, DEMO_GOODS } from './seed/goods'
import { LocalStorage } from './storage/storage'
import { engineSimStore, loopbackPoster, realClock, runnerInvoker, SIM_COLLECTIONS } from './sim-adapters'

export type LocalCloudOptions = {
  /** 0 picks a free port. */
  port: number
  dataDir: string
  functionsDir: string
  h5Dir: string
  envId: string
  appid: string
  /** Multiplies the simulator's delays (callback retries, the 5-minute close rule). */
  simTimeScale: number
  defaultTimeoutSeconds: number
  /** The functions' configuration: PAY_MODE, WXPAY_* … */
  functionEnv: Record<string, string | undefined>
  netGuard?: string
  seed?: boolean
  /** Run the functions' timer triggers (config.json), as the cloud does. Off in tests. */
  timers?: boolean
}

export type LocalCloud = {
  url: string
  port: number
  engine: Engine
  runner: FunctionRunner
  sim: PaySimulator
  /** Test-only fault injection, the same control as POST /sim/faults (in memory, not persisted). */
  faults: FaultControl
  /** `cloud.openapi.*` (发货信息录入), its records and its test hooks (docs/wechat-pay.md). */
  openapi: OpenApiEmulator
  close(): Promise<void>
}

export const PICTURES_DIR = path.join(__dirname, 'seed', 'pictures')

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const { engine, recovered, truncatedBytes } = await Engine.open(options.dataDir)
  if (truncatedBytes > 0) console.warn(`[local-cloud] recovered the journal: dropped a torn last record (${truncatedBytes} bytes, never acknowledged)`)
  await prepareDatabase(engine, options.seed ?? true)

  let port = options.port
  let adminUrl = ''
  const runner = new FunctionRunner({
    functionsDir: options.functionsDir,
    get adminUrl() {
      return adminUrl
    },
    envId: options.envId,
    appid: options.appid,
    functionEnv: options.functionEnv,
    defaultTimeoutSeconds: options.defaultTimeoutSeconds,
    netGuard: options.netGuard,
  })
  const env = options.functionEnv
  const merchants = env['WXPAY_MCH_ID'] && env['WXPAY_KEY'] ? [{ mchId: env['WXPAY_MCH_ID'], key: env['WXPAY_KEY'] }] : []
  const faults = new FaultController({
    appid: options.appid,
    provider: DEFAULT_SERVICE_PROVIDER,
    merchantKey: (mchId) => merchants.find((m) => m.mchId === mchId)?.key,
  })
  const sim = createPaySimulator({
    store: engineSimStore(engine),
    invoker: faultyInvoker(runnerInvoker(runner), faults),
    poster: faultyPoster(loopbackPoster, faults),
    clock: realClock,
    timeScale: options.simTimeScale,
    appid: options.appid,
    envId: options.envId,
    merchants,
    // Which sub merchants the simulated service provider has accepted: the configured one unless
    // SIM_BOUND_SUB_MCH_IDS says otherwise (to see what an unbound merchant gets).
    boundSubMchIds: (env['SIM_BOUND_SUB_MCH_IDS'] ?? env['WXPAY_SUB_MCH_ID'] ?? '').split(',').filter(Boolean),
    // A simulator-only key, derived so that no key literal sits in the code.
    cloudPayKey: createHash('md5').update(`cloudpay-sim:${options.envId}`).digest('hex'),
    resolveCaller: (token) => runner.callerOf(token),
  })
  const db = new DatabaseProtocol(engine, Date.now, faults)
  const openapi = await OpenApiEmulator.start(engine, runner)
  const storage = new LocalStorage(path.join(options.dataDir, 'storage'), options.envId, () => `http://127.0.0.1:${port}`)
  const listening = await listen(
    {
      db,
      runner,
      sim,
      h5Dir: options.h5Dir,
      picturesDir: PICTURES_DIR,
      faults,
      storage,
      openapi,
      health: () => ({
        env: options.envId,
        collections: engine.collectionNames().filter((name) => !name.startsWith('_')),
        recoveredRecords: recovered,
        databaseRequests: Object.fromEntries(db.requests),
      }),
    },
    port,
  )
  const { server } = listening
  port = listening.port
  adminUrl = `http://127.0.0.1:${port}/admin`
  await sim.resume()
  const stopTimers = options.timers
    ? startTimers(runner, readTimerTriggers(options.functionsDir), (line) => console.log(`[local-cloud] ${line}`))
    : () => undefined
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    engine,
    runner,
    sim,
    faults,
    openapi,
    async close() {
      stopTimers()
      sim.stop()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await runner.close()
      await engine.close()
    },
  }
}

/** Production requires collections to exist; so does the emulator, so create them here once. */
async function prepareDatabase(engine: Engine, seed: boolean): Promise<void> {
  for (const name of [...COLLECTIONS, ...SIM_COLLECTIONS]) if (!engine.hasCollection(name)) await engine.createCollection(name)
  if (seed && engine.count('goods', {}) === 0)
    await engine.insert(
      'goods',
      DEMO_GOODS.map((goods) => ({ ...goods })),
    ).written
}
