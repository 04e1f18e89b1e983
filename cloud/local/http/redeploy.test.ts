// `npm run deploy -- createOrder --target local` while 20 shoppers are placing orders: the real
// client (scripts/deploy/local.ts) uploads a new build of the real createOrder into a running
// local cloud. No invocation fails, and afterwards the new build answers.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { writeBuildInfo } from '../../../scripts/deploy/hash'
import { deployLocal } from '../../../scripts/deploy/local'
import { BUILT_FUNCTIONS, ROOT, startTestCloud, tempDir, type TestCloud } from '../testing/harness'
import { call, cloudPayEnv, DELIVERY_ADDRESS, waitFor, type Result } from '../testing/shop'

const STAFF = 'staff-redeploy-1'
const SHOPPERS = 20

let cloud: TestCloud
const repo = tempDir('redeploy-repo')
before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
})
after(async () => {
  await cloud.stop()
  repo.remove()
})

/** The build the running cloud answers with, asked as staff through the health event. */
async function deployedBuild(): Promise<string> {
  const health = await call<{ build: string }>(cloud, 'createOrder', { $health: true }, STAFF)
  assert.ok(health.ok, JSON.stringify(health))
  return health.data.build
}

/** A repository whose build of createOrder is the real one with one more line: new code, a new hash. */
async function newBuild(): Promise<void> {
  mkdirSync(path.join(repo.dir, 'cloud', 'functions', 'createOrder'), { recursive: true })
  writeFileSync(path.join(repo.dir, 'cloud', 'functions', 'createOrder', 'index.ts'), '// stands for the source\n')
  const out = path.join(repo.dir, 'dist', 'cloudfunctions', 'createOrder')
  cpSync(path.join(BUILT_FUNCTIONS, 'createOrder'), out, { recursive: true })
  writeFileSync(path.join(out, 'index.js'), `${readFileSync(path.join(out, 'index.js'), 'utf8')}\n// redeployed\n`)
  await writeBuildInfo(out)
}

test('redeploying createOrder while 20 shoppers place orders: zero failed invocations, then the new build answers', async () => {
  const oldBuild = await deployedBuild()
  assert.equal(oldBuild, (JSON.parse(readFileSync(path.join(BUILT_FUNCTIONS, 'createOrder', 'build.json'), 'utf8')) as { hash: string }).hash)

  const results: Array<{ at: number; result: Result<unknown> | Error }> = []
  let deployedAt = Infinity
  // Each shopper keeps ordering until it has started two orders after the deploy finished.
  const shopper = async (i: number): Promise<void> => {
    for (let afterDeploy = 0; afterDeploy < 2;) {
      const at = Date.now()
      if (at >= deployedAt) afterDeploy++
      const event = { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS }
      results.push({ at, result: await call(cloud, 'createOrder', event, `shopper-redeploy-${i}`).catch((error: Error) => error) })
    }
  }
  const shopping = Promise.all(Array.from({ length: SHOPPERS }, (_, i) => shopper(i)))

  await waitFor('the first orders', () => results.length >= SHOPPERS, 30_000)
  const lines: string[] = []
  let deployed: Awaited<ReturnType<typeof deployLocal>>
  try {
    await newBuild()
    deployed = await deployLocal({ root: repo.dir, names: ['createOrder'], url: cloud.url, build: async () => {}, print: (line) => lines.push(line) })
  } finally {
    deployedAt = Date.now()
    await shopping
  }
  assert.equal(deployed.ok, true, lines.join('\n'))

  const failed = results.filter(({ result }) => result instanceof Error || !result.ok)
  assert.deepEqual(
    failed.map(({ result }) => (result instanceof Error ? result.message : JSON.stringify(result))),
    [],
    'no invocation failed',
  )
  const during = results.filter(({ at }) => at < deployedAt).length
  const afterwards = results.length - during
  assert.ok(during >= SHOPPERS && afterwards >= 2 * SHOPPERS, `orders before/while deploying ${during}, after ${afterwards}`)

  const newHash = (JSON.parse(readFileSync(path.join(repo.dir, 'dist', 'cloudfunctions', 'createOrder', 'build.json'), 'utf8')) as { hash: string }).hash
  assert.notEqual(newHash, oldBuild)
  assert.equal(await deployedBuild(), newHash, 'the new build answers')
  assert.match(lines.join('\n'), new RegExp(`createOrder: build ${newHash.slice(0, 12)}… \\(\\d+ KB\\), replacing the running one`))
})

test('the README command: npm run deploy -- createOrder --target local --url <the local cloud>', async () => {
  // Asynchronous: this process is the local cloud that answers the upload.
  const child = spawn('npm', ['run', '--silent', 'deploy', '--', 'createOrder', '--target', 'local', '--url', cloud.url], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  assert.equal(code, 0, output)
  const built = (JSON.parse(readFileSync(path.join(BUILT_FUNCTIONS, 'createOrder', 'build.json'), 'utf8')) as { hash: string }).hash
  assert.match(output, new RegExp(`createOrder: build ${built.slice(0, 12)}…`))
  assert.equal(await deployedBuild(), built, 'the freshly built createOrder answers')
})
