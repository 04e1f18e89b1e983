import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { invocationEnv, type CallSource } from '../cloud/local/runner/functionEnv'
import { databaseFor, spawnLocalCloud, tempDir, type ChildCloud, type LooseDb } from '../cloud/local/testing/harness'
import { DELIVERY_ADDRESS } from '../cloud/local/testing/shop'
import { buildHelloWorld, h5Times, weappBytes } from './bench-app'

// `npm run bench`: cold start, memory and deployable size of each function against the
// original tutorial's single `pay` function (measured in the same run: this machine is shared
// and noisy, so ratios, not absolute numbers, are the result), the whole flow under 50
// concurrent shoppers, database round trips per order, and the emulator's per-operation
// latency through the real SDK. Writes docs/benchmarks.md.

const root = path.resolve(__dirname, '..')
const work = path.join(root, '.bench')
const FUNCTIONS = ['createOrder', 'queryOrder', 'confirmPayment', 'payNotify', 'listGoods'] as const
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7)
const APPID = 'wx0000000000bench'
const SUB_MCH_ID = '1900000109'
const MCH_ID = '1900000110'
const KEY = randomBytes(16).toString('hex')
const ENV_ID = 'local-env'
/** The functions' configuration, given to the local cloud and to each cold-start process. */
const FUNCTION_ENV = {
  PAY_MODE: 'cloudpay',
  WXPAY_SUB_MCH_ID: SUB_MCH_ID,
  WXPAY_APPID: APPID,
  WXPAY_MCH_ID: MCH_ID,
  WXPAY_KEY: KEY,
  WXPAY_NOTIFY_URL: '{{LOCAL_CLOUD_URL}}/api/http/payNotify',
  SILENCE: 'true',
}
const guard = path.join(root, 'scripts', 'net-guard.cjs')

type Sample = { ok: boolean; sinceProcessStartMs: number; maxRssKb: number; error?: string; result?: unknown }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
const fmt = (n: number, digits = 1): string => n.toFixed(digits)

function folderBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) total += folderBytes(full)
    else if (entry.isFile()) total += statSync(full).size
  }
  return total
}

/** What ops upload: the folder, with `npm install` run in it as the cloud would. */
function stage(source: string, name: string): { dir: string; bytes: number; files: number } {
  const dir = path.join(work, 'deploy', name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(path.dirname(dir), { recursive: true })
  cpSync(source, dir, { recursive: true, dereference: true })
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', '--ignore-scripts'], {
    cwd: dir,
    stdio: 'ignore',
  })
  const count = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(path.join(d, e.name)) : 1), 0)
  return { dir, bytes: folderBytes(dir), files: count(dir) }
}

async function post(url: string, body: unknown, openid = 'bench-shopper'): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': openid }, body: JSON.stringify(body) })
  return (await res.json()) as Record<string, unknown>
}

async function coldStart(cloud: ChildCloud, folder: string, functionName: string, event: unknown, source: CallSource, wxpayApiBase?: string): Promise<Sample> {
  // The local cloud only registers the caller; the environment is built here, from what it was given.
  const caller = { source, openid: source === 'wx_client' ? 'bench-shopper' : undefined }
  const { token } = (await post(`${cloud.url}/api/invocations`, { functionName, ...caller })) as { token: string }
  const env = invocationEnv({ adminUrl: `${cloud.url}/admin`, envId: ENV_ID, appid: APPID, functionEnv: FUNCTION_ENV }, caller, token)
  const args = [path.join(root, 'bench', 'coldstart-child.cjs'), folder, JSON.stringify(event), ...(wxpayApiBase ? [wxpayApiBase] : [])]
  const childEnv = { PATH: process.env['PATH'] ?? '', ...env, NODE_OPTIONS: `--require ${guard}`, SILENCE: 'true' }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Sample)
      } catch {
        reject(new Error(`cold start of ${functionName} printed: ${out}`))
      }
    })
  })
}

async function flows(cloud: ChildCloud, shoppers: number, perShopper: number): Promise<{ latencies: number[]; wallMs: number; failures: number }> {
  const latencies: number[] = []
  let failures = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: shoppers }, async (_, s) => {
      const openid = `flow-shopper-${s}`
      for (let i = 0; i < perShopper; i++) {
        const t0 = performance.now()
        const created = await post(
          `${cloud.url}/api/functions/createOrder`,
          { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS },
          openid,
        )
        const outTradeNo = (created['data'] as { outTradeNo?: string } | undefined)?.outTradeNo
        if (!outTradeNo) {
          failures++
          continue
        }
        await post(`${cloud.url}/sim/pay`, { outTradeNo, result: 'SUCCESS' })
        const view = await post(`${cloud.url}/api/functions/queryOrder`, { outTradeNo }, openid)
        if ((view['data'] as { status?: string } | undefined)?.status !== 'SUCCESS') failures++
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return { latencies, wallMs: performance.now() - started, failures }
}

async function databaseRequests(cloud: ChildCloud): Promise<number> {
  const health = (await (await fetch(`${cloud.url}/healthz`)).json()) as { databaseRequests: Record<string, number> }
  return Object.values(health.databaseRequests).reduce((a, b) => a + b, 0)
}

async function opLatency(db: LooseDb): Promise<Array<[string, number, number]>> {
  await db.createCollection('bench_ops')
  const measure = async (n: number, op: (i: number) => Promise<unknown>): Promise<[number, number]> => {
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      const t0 = performance.now()
      await op(i)
      times.push(performance.now() - t0)
    }
    return [median(times), percentile(times, 95)]
  }
  const rows: Array<[string, number, number]> = []
  rows.push(['add', ...(await measure(300, (i) => db.collection('bench_ops').add({ data: { _id: `op-${i}`, i, status: 'NOTPAY', at: new Date() } })))])
  rows.push(['doc get', ...(await measure(300, (i) => db.collection('bench_ops').doc(`op-${i}`).get()))])
  rows.push([
    'conditional update (where + update)',
    ...(await measure(300, (i) =>
      db
        .collection('bench_ops')
        .where({ _id: `op-${i}`, status: 'NOTPAY' })
        .update({ data: { status: 'SUCCESS' } }),
    )),
  ])
  rows.push([
    'where + orderBy + limit(20) over 300 docs',
    ...(await measure(300, (i) =>
      db
        .collection('bench_ops')
        .where({ i: db.command.gte(i % 280) })
        .orderBy('i', 'desc')
        .limit(20)
        .get(),
    )),
  ])
  rows.push(['count', ...(await measure(300, () => db.collection('bench_ops').where({ status: 'SUCCESS' }).count()))])
  return rows
}

async function main(): Promise<void> {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  console.log('staging deployable folders (npm install in each, as the cloud does)…')
  const baseline = stage(path.join(root, 'bench', 'baseline', 'pay'), 'baseline-pay')
  const ours = Object.fromEntries(FUNCTIONS.map((name) => [name, stage(path.join(root, 'dist', 'cloudfunctions', name), name)]))

  console.log('building a bare Taro hello world with the same config…')
  const hello = buildHelloWorld(work)
  const shopWeapp = weappBytes()

  const data = tempDir('bench-cloud')
  const cloud = await spawnLocalCloud({
    CLOUD_DATA_DIR: data.dir,
    FUNCTIONS_DIR: path.join(root, 'dist', 'cloudfunctions'),
    ...FUNCTION_ENV,
    TCB_ENV: ENV_ID,
    WX_APPID: APPID,
    SIM_TIME_SCALE: '0.001',
    NODE_OPTIONS: `--require ${guard}`,
  })
  try {
    // An order for confirmPayment and payNotify to work on.
    const seed = await post(`${cloud.url}/api/functions/createOrder`, { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS })
    const order = seed['data'] as { outTradeNo: string; totalFee: number }
    const paid = (await post(`${cloud.url}/sim/pay`, { outTradeNo: order.outTradeNo, result: 'SUCCESS' })) as { transactionId: string }
    const callback = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId: SUB_MCH_ID,
      outTradeNo: order.outTradeNo,
      transactionId: paid.transactionId,
      totalFee: order.totalFee,
      timeEnd: '20261127120000',
    }
    const targets: Array<{ name: string; folder: string; event: unknown; source: CallSource; api?: string }> = [
      { name: 'baseline pay', folder: baseline.dir, event: { goodsId: 'goods-coffee' }, source: 'wx_client', api: cloud.url },
      {
        name: 'createOrder',
        folder: ours['createOrder']!.dir,
        event: { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS },
        source: 'wx_client',
      },
      { name: 'queryOrder', folder: ours['queryOrder']!.dir, event: { outTradeNo: order.outTradeNo }, source: 'wx_client' },
      { name: 'confirmPayment', folder: ours['confirmPayment']!.dir, event: { outTradeNo: order.outTradeNo }, source: 'wx_client' },
      { name: 'payNotify', folder: ours['payNotify']!.dir, event: callback, source: 'wx_paycallback' },
      { name: 'listGoods', folder: ours['listGoods']!.dir, event: {}, source: 'wx_client' },
    ]
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]))
    console.log(`cold starts: ${ROUNDS} rounds, interleaved…`)
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        const functionName = t.name === 'baseline pay' ? 'pay' : t.name
        const sample = await coldStart(cloud, t.folder, functionName, t.event, t.source, t.api)
        if (!sample.ok) throw new Error(`${t.name} did not serve its first invocation: ${JSON.stringify(sample)}`)
        samples.get(t.name)!.push(sample)
      }
    }

    console.log('round trips of one order…')
    const before = await databaseRequests(cloud)
    const one = await flows(cloud, 1, 1)
    const roundTrips = (await databaseRequests(cloud)) - before
    if (one.failures > 0) throw new Error('the single flow failed')

    console.log('50 concurrent shoppers…')
    const flowRun = await flows(cloud, 50, 4)

    console.log('database operations through the real SDK…')
    const ops = await opLatency(databaseFor(cloud.url))

    console.log('H5 in Chromium…')
    const h5 = await h5Times(cloud.url, hello.h5Dir, ROUNDS)

    const base = samples.get('baseline pay')!
    const baseStart = median(base.map((s) => s.sinceProcessStartMs))
    const baseRss = median(base.map((s) => s.maxRssKb))
    const coldRows = targets.map((t) => {
      const s = samples.get(t.name)!
      const start = median(s.map((x) => x.sinceProcessStartMs))
      const rss = median(s.map((x) => x.maxRssKb))
      const bytes = t.name === 'baseline pay' ? baseline.bytes : ours[t.name]!.bytes
      const files = t.name === 'baseline pay' ? baseline.files : ours[t.name]!.files
      return { name: t.name, start, startRatio: start / baseStart, rss, rssRatio: rss / baseRss, bytes, bytesRatio: bytes / baseline.bytes, files }
    })
    const throughput = (flowRun.latencies.length / flowRun.wallMs) * 1000
    const lines = [
      '# Benchmarks',
      '',
      `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${process.platform}/${process.arch}). This machine is shared`,
      'and noisy: the results are **ratios against a baseline measured in the same run**, not the absolute',
      'milliseconds, which move from run to run.',
      '',
      '## Cold start, memory and deployable size of each function',
      '',
      "Baseline: the original tutorial's single `pay` function (`bench/baseline/pay`) — `wx-server-sdk`,",
      '`wx-js-utils`, `dayjs` and `ip` installed unbundled in its `node_modules`. Each of ours is the built',
      'folder from `dist/cloudfunctions/<name>` (one bundled `index.js`, nothing to install).',
      '',
      `Cold start = a fresh Node process loads the deployable folder and serves its first invocation against the local cloud (median of ${ROUNDS}, interleaved; time since the process began). Memory = the process's peak RSS. Bytes = the folder after \`npm install\`, as uploaded.`,
      '',
      '| function | cold start ms | × baseline | peak RSS MB | × baseline | deployable bytes | × baseline | files |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...coldRows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.start)} | ${fmt(r.startRatio, 2)} | ${fmt(r.rss / 1024)} | ${fmt(r.rssRatio, 2)} | ${r.bytes.toLocaleString('en')} | ${fmt(r.bytesRatio, 3)} | ${r.files} |`,
      ),
      '',
      `Targets: cold start ≤ 0.7× (worst of ours: ${fmt(Math.max(...coldRows.slice(1).map((r) => r.startRatio)), 2)}×), peak memory ≤ 1× (worst: ${fmt(Math.max(...coldRows.slice(1).map((r) => r.rssRatio)), 2)}×), deployable bytes ≤ 0.25× (worst: ${fmt(Math.max(...coldRows.slice(1).map((r) => r.bytesRatio)), 3)}×).`,
      '',
      '## The whole flow under load',
      '',
      `50 concurrent shoppers, 4 flows each: \`createOrder\` → \`POST /sim/pay\` (the simulator delivers the callback to \`payNotify\`) → \`queryOrder\` shows SUCCESS. Everything on one local cloud process; the clients run in the benchmark process on the same 2 cores.`,
      '',
      '| flows | failures | throughput flows/s | p50 ms | p95 ms | wall s |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${flowRun.latencies.length} | ${flowRun.failures} | ${fmt(throughput)} | ${fmt(percentile(flowRun.latencies, 50))} | ${fmt(percentile(flowRun.latencies, 95))} | ${fmt(flowRun.wallMs / 1000, 2)} |`,
      '',
      `Database round trips of one whole flow (the functions' requests to the database, counted by the emulator): **${roundTrips}** — createOrder 3 (goods, insert, prepay details), payNotify 3 (read, conditional update, event), queryOrder 1. A checkout with a client \`requestId\`, as the app sends, adds one insert (into \`order_requests\`).`,
      '',
      '## The app',
      '',
      '| measure | shop | bare Taro 4 React hello world | × hello world | target |',
      '|---|---:|---:|---:|---|',
      `| weapp build (\`dist/weapp\`), bytes | ${shopWeapp.toLocaleString('en')} | ${hello.weappBytes.toLocaleString('en')} | ${fmt(shopWeapp / hello.weappBytes, 2)} | ≤ 1.4×, and far under WeChat's 2 MB main package |`,
      `| H5: navigation → goods list rendered (Chromium, median of ${ROUNDS}), ms | ${fmt(median(h5.shop))} | ${fmt(median(h5.hello))} (its text rendered) | ${fmt(median(h5.shop) / median(h5.hello), 2)} | reported |`,
      '',
      "The hello world is built by the benchmark from this project's `config/`, `package.json` and `node_modules`, with one page rendering a text. The shop's H5 time includes the `listGoods` call through the local cloud (a function invocation and a database query).",
      '',
      '## The database emulator through the real wx-server-sdk',
      '',
      'One request at a time over loopback, 300 of each; every write is fsync-ed before the reply.',
      '',
      '| operation | p50 ms | p95 ms |',
      '|---|---:|---:|',
      ...ops.map(([name, p50, p95]) => `| ${name} | ${fmt(p50, 2)} | ${fmt(p95, 2)} |`),
      '',
    ]
    mkdirSync(path.join(root, 'docs'), { recursive: true })
    writeFileSync(path.join(root, 'docs', 'benchmarks.md'), lines.join('\n'))
    console.log(lines.join('\n'))
  } finally {
    cloud.child.kill('SIGTERM')
    await cloud.exited
    data.remove()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
