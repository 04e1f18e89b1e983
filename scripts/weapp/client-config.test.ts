/**
 * The mini program's build settings in real builds (the rules themselves: scripts/client-env.test.ts).
 *
 * One release build (`taro build --type weapp --mode release`) with CLOUD_ENV, ASSET_BASE and
 * TARO_APP_ID into a temporary folder (TARO_OUTPUT_ROOT), run in the weapp harness against a
 * local cloud: wx.cloud.init gets the environment, pictures stored as paths load from ASSET_BASE
 * while cloud:// and https:// ones pass untouched, dist's project.config.json carries the AppID
 * and the repository's own project.config.json is left alone. And one release build that must
 * refuse a loopback picture base before compiling anything.
 *
 * Run: npm run test:quick -- scripts/weapp/client-config
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { loadMiniProgram, type MiniProgram } from './harness'

const CLOUD_ENV = 'test-env-123'
const ASSET_BASE = 'https://img.example.com'
const TARO_APP_ID = 'wx0123456789abcdef'
const HOME = 'pages/index/index'
const BUILD_TIMEOUT = { timeout: 300_000 }
/** Pictures that are no paths: the mini program loads them as they are. */
const CLOUD_FILE = `cloud://${CLOUD_ENV}.7465-${CLOUD_ENV}-1300000000/goods/coffee.png`
const FULL_URL = 'https://cdn.example.com/goods/oats.png'

type Built = { code: number | null; output: string }

/** `taro build --type weapp --mode release` with these variables (and none of the shell's client settings). */
function releaseBuild(vars: Record<string, string>): Promise<Built> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  // Taro sets NODE_ENV=production for a build when it is unset, as `npm run build:weapp` does.
  for (const key of ['NODE_ENV', 'CLOUD_ENV', 'ASSET_BASE', 'TARO_APP_ID', 'TARO_OUTPUT_ROOT']) delete env[key]
  Object.assign(env, vars)
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'weapp', '--mode', 'release'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, output }))
  })
}

/** Every string in the page's data (an <Image>'s src among them). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) strings(item, out)
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) strings(item, out)
  return out
}

const tmp = mkdtempSync(path.join(tmpdir(), 'weapp-client-config-'))
const OUT = path.join(tmp, 'weapp')
const ROOT_PROJECT = path.join(ROOT, 'project.config.json')
let rootProjectBefore = ''
let built: Built = { code: null, output: '' }
let cloud: TestCloud | undefined
const opened: MiniProgram[] = []

before(async () => {
  rootProjectBefore = readFileSync(ROOT_PROJECT, 'utf8')
  built = await releaseBuild({ CLOUD_ENV, ASSET_BASE, TARO_APP_ID, TARO_OUTPUT_ROOT: OUT })
}, BUILD_TIMEOUT)

after(async () => {
  for (const mp of opened) mp.dispose()
  await cloud?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

test('a release build with CLOUD_ENV, ASSET_BASE and TARO_APP_ID builds, and says which environment', () => {
  assert.equal(built.code, 0, `the release build failed:\n${built.output.slice(-4000)}`)
  assert.ok(existsSync(path.join(OUT, 'app.js')), 'app.js is in TARO_OUTPUT_ROOT')
  assert.match(built.output, /\[client config, release\] cloud environment: test-env-123/)
  assert.doesNotMatch(built.output, /\[client config[^\]]*\] (warning|error)/, 'nothing to warn about')
})

test('its mini program calls wx.cloud.init with CLOUD_ENV and loads path pictures from ASSET_BASE', BUILD_TIMEOUT, async () => {
  assert.equal(built.code, 0, 'the release build failed')
  cloud = await startTestCloud()
  for (const [id, pic] of [
    ['goods-coffee', CLOUD_FILE],
    ['goods-oats', FULL_URL],
  ] as const) {
    const { updated, written } = cloud.engine.update('goods', { _id: id }, { $set: { pic, pics: [pic] } }, false)
    await written
    assert.equal(updated, 1, `${id} is seeded`)
  }
  const onSale = cloud.engine.find('goods', { onSale: true })
  // The cover the home page shows: the first of `pics` (cloud/payment/adapters/goodsRepository.ts).
  const pics = onSale.map((g) => (Array.isArray(g['pics']) ? g['pics'][0] : g['pic'])).filter((p): p is string => typeof p === 'string')
  assert.ok(
    pics.some((p) => p.startsWith('/')),
    'some seeded goods have a picture stored as a path',
  )

  const mp = loadMiniProgram({ distDir: OUT, cloudUrl: cloud.url, openid: 'client-config-user' })
  opened.push(mp)
  const page = mp.launch(HOME)
  const expected = pics.map((p) => (p.startsWith('/') ? `${ASSET_BASE}${p}` : p))
  await mp.waitFor(() => expected.every((src) => strings(page.data).includes(src)), `every goods picture as the mini program loads it (${expected.join(', ')})`)

  const inits = mp.wxCalls.filter((c) => c.api === 'cloud.init')
  assert.deepEqual(
    inits.map((c) => c.args),
    [[{ env: CLOUD_ENV, traceUser: true }]],
    'one wx.cloud.init, with the configured environment',
  )
  const shown = strings(page.data)
  assert.ok(shown.includes(CLOUD_FILE) && shown.includes(FULL_URL), 'cloud:// and https:// pictures pass untouched')
  assert.deepEqual(
    shown.filter((s) => s.includes('127.0.0.1')),
    [],
    'nothing of the local cloud in a release build',
  )
  assert.deepEqual(mp.errors.map(String), [], 'the bundle threw or misused setData')
})

test("its project.config.json carries TARO_APP_ID; the repository's own is left alone", () => {
  assert.equal(built.code, 0, 'the release build failed')
  const project = JSON.parse(readFileSync(path.join(OUT, 'project.config.json'), 'utf8')) as Record<string, unknown>
  assert.equal(project['appid'], TARO_APP_ID)
  assert.equal(project['miniprogramRoot'], './')
  assert.equal(readFileSync(ROOT_PROJECT, 'utf8'), rootProjectBefore, 'a build elsewhere does not describe the root project')
})

test('a release build refuses a loopback picture base before compiling anything', BUILD_TIMEOUT, async () => {
  const out = path.join(tmp, 'refused')
  const refused = await releaseBuild({ CLOUD_ENV, ASSET_BASE: 'http://127.0.0.1:8787', TARO_APP_ID, TARO_OUTPUT_ROOT: out })
  assert.notEqual(refused.code, 0, `the build went through:\n${refused.output.slice(-2000)}`)
  assert.match(refused.output, /error: ASSET_BASE=http:\/\/127\.0\.0\.1:8787 is this machine/)
  assert.match(refused.output, /Set ASSET_BASE=https:\/\//)
  assert.ok(!existsSync(out), 'nothing was written')
})
