/**
 * Weapp smoke test: the compiled mini program (`dist/weapp`) starts, its home page calls the
 * cloud function `listGoods`, and the goods in the database end up in the page's data.
 *
 * Real: the whole compiled bundle (Taro runtime, React, the app's pages, stores, services), and
 * the local cloud (HTTP gateway, function runner with the built `dist/cloudfunctions`,
 * wx-server-sdk, database emulator with its seeded goods).
 * Stand-in: the WeChat base library — App/Page/Component, page instances and `wx.*`, with
 * `wx.cloud.callFunction` sent over HTTP to the local cloud (see ./harness.ts). Nothing is
 * drawn: the checks read the data Taro gives `setData`, which is what base.wxml would render.
 *
 * Run: node --import tsx --test scripts/weapp/weapp-smoke.test.ts   (or npx tsx scripts/run-tests.ts weapp)
 * dist/weapp and dist/cloudfunctions are built when missing; WEAPP_SMOKE_BUILD=1 rebuilds
 * dist/weapp first; WEAPP_SMOKE_VERBOSE=1 echoes the bundle's console.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { loadMiniProgram, type HarnessOptions, type MiniProgram, type PageHandle } from './harness'

const DIST = path.join(ROOT, 'dist', 'weapp')
const HOME = 'pages/index/index'
const verbose = process.env['WEAPP_SMOKE_VERBOSE'] === '1'

let cloud: TestCloud
let onSaleNames: string[] = []
const opened: MiniProgram[] = []

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`))))
  })
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

function start(options: Partial<HarnessOptions> = {}): MiniProgram {
  const mp = loadMiniProgram({ distDir: DIST, cloudUrl: cloud.url, verbose, ...options })
  opened.push(mp)
  return mp
}

const TEST_TIMEOUT = { timeout: 30_000 }

/** Whether some text node of the page holds `name` (the markup around it is the page's business). */
function shows(page: PageHandle, name: string): boolean {
  return page.texts().some((text) => text.includes(name))
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

function assertClean(mp: MiniProgram): void {
  assert.deepEqual(
    mp.unexpected.map((c) => c.api),
    [],
    'the bundle called wx APIs the harness does not implement (add a stand-in in scripts/weapp/harness.ts)',
  )
  assert.deepEqual(mp.errors.map(String), [], 'the bundle threw or misused setData')
  assert.deepEqual(
    mp.logs.filter((l) => l.level === 'error').map((l) => l.message),
    [],
    'the bundle logged errors',
  )
}

before(async (t) => {
  if (!existsSync(path.join(ROOT, 'dist', 'cloudfunctions', 'listGoods', 'index.js'))) {
    await run('npx', ['tsx', 'scripts/build-functions.ts'])
  }
  if (process.env['WEAPP_SMOKE_BUILD'] === '1' || !existsSync(path.join(DIST, 'app.js'))) {
    await run('npx', ['taro', 'build', '--type', 'weapp'])
  } else if (newestMtime(path.join(ROOT, 'src')) > statSync(path.join(DIST, 'app.js')).mtimeMs) {
    const note = 'dist/weapp is older than src/: testing the old build (WEAPP_SMOKE_BUILD=1 or npm run build:weapp to rebuild)'
    if ('diagnostic' in t) t.diagnostic(note)
    else console.warn(note)
  }
  cloud = await startTestCloud()
  const goods = cloud.engine.find('goods', { onSale: true })
  onSaleNames = goods.map((g) => g['name']).filter((n): n is string => typeof n === 'string')
  // listGoods pages by 20: with more on sale the home page would rightly show only the first page.
  assert.ok(onSaleNames.length > 0 && onSaleNames.length <= 20, `the seeded database has ${onSaleNames.length} goods on sale`)
})

after(async () => {
  for (const mp of opened) mp.dispose()
  await cloud?.stop()
})

test('the home page shows the goods listGoods returns, and only once the cloud has answered', TEST_TIMEOUT, async () => {
  let held = false
  const release = deferred()
  const mp = start({
    beforeCallFunction: async (name) => {
      if (name !== 'listGoods') return
      held = true
      await release.promise
    },
  })
  const page = mp.launch(HOME)

  // Rendered, and listGoods is on its way but held: no goods yet.
  await mp.waitFor(() => held && page.patches.length > 0, 'a listGoods call and the first setData')
  for (const name of onSaleNames) assert.ok(!shows(page, name), `"${name}" is shown before listGoods answered`)

  release.resolve()
  await mp.waitFor(() => onSaleNames.every((name) => shows(page, name)), `every goods name on sale (${onSaleNames.join(', ')}) in the page data`)

  const calls = mp.cloudCalls.filter((c) => c.name === 'listGoods')
  assert.equal(calls.length, 1, 'one listGoods call on mount')
  assert.equal(calls[0]?.status, 200)
  const result = calls[0]?.result as { ok?: unknown; data?: { items?: Array<{ name?: unknown }> } } | undefined
  assert.equal(result?.ok, true)
  assert.deepEqual(result?.data?.items?.map((i) => i.name).sort(), [...onSaleNames].sort(), 'listGoods answered what the database holds')

  const apis = mp.wxCalls.map((c) => c.api)
  assert.ok(
    apis.indexOf('cloud.init') !== -1 && apis.indexOf('cloud.init') < apis.indexOf('cloud.callFunction'),
    `wx.cloud.init before callFunction: ${apis.join(', ')}`,
  )
  assertClean(mp)
})

test('pull-down refresh calls listGoods again and stops the refresh', TEST_TIMEOUT, async () => {
  const mp = start()
  const page = mp.launch(HOME)
  await mp.waitFor(() => onSaleNames.every((name) => shows(page, name)), 'the goods')
  page.trigger('onPullDownRefresh')
  await mp.waitFor(() => mp.wxCalls.some((c) => c.api === 'stopPullDownRefresh'), 'wx.stopPullDownRefresh')
  assert.equal(mp.cloudCalls.filter((c) => c.name === 'listGoods' && c.status === 200).length, 2)
  assert.ok(
    onSaleNames.every((name) => shows(page, name)),
    'the goods are still shown',
  )
  assertClean(mp)
})

test('a failed listGoods shows an error state, not goods', TEST_TIMEOUT, async () => {
  const mp = start({
    beforeCallFunction: (name) => {
      if (name === 'listGoods') throw new Error('network down (simulated by the smoke test)')
    },
  })
  const page = mp.launch(HOME)
  await mp.waitFor(() => mp.cloudCalls.some((c) => c.name === 'listGoods' && c.error !== undefined), 'the failed listGoods call')
  // The wording belongs to the page; any failure text or a retry control will do.
  await mp.waitFor(() => page.texts().some((text) => /失败|重试|错误/.test(text)), 'an error message or a retry button in the page data')
  for (const name of onSaleNames) assert.ok(!shows(page, name), `"${name}" is shown although listGoods failed`)
  assertClean(mp)
})
