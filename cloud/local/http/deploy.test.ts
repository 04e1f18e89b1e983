// POST /api/deploy/<name>: swapping a function into a running local cloud, and the guard in
// front of it. Small functions written here; the 20-shopper redeploy is in redeploy.test.ts.
import assert from 'node:assert/strict'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { request } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { packEntries } from '../runner/archive'
import { callFunction, FIXTURE_FUNCTIONS, startTestCloud, type TestCloud } from '../testing/harness'
import { deployFunction } from './deploy'

let cloud: TestCloud
before(async () => {
  cloud = await startTestCloud({ functionsDir: FIXTURE_FUNCTIONS, defaultTimeoutSeconds: 10 })
})
after(() => cloud.stop())

/** A stand-in build hash per version: `v1` → `a1000…`. */
const hashOf = (v: string): string => v.replace(/[^0-9a-f]/g, 'a').padEnd(64, '0')

/** A function that waits `event.ms`, then says which version it is and where it runs from. */
function version(v: string): Buffer {
  const code = `exports.main = async (event) => { await new Promise((r) => setTimeout(r, (event && event.ms) || 0)); return { version: ${JSON.stringify(v)}, dir: __dirname } }\n`
  const hash = hashOf(v)
  return packEntries([
    { path: 'index.js', bytes: Buffer.from(code) },
    { path: 'config.json', bytes: Buffer.from('{ "timeout": 5 }') },
    { path: 'build.json', bytes: Buffer.from(JSON.stringify({ hash })) },
  ])
}

type Answer = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } }

/** Raw HTTP, so that Host and Origin are whatever the test says. */
function post(path: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: cloud.port, path, method: 'POST', headers: { 'content-length': String(body.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const deploy = (name: string, archive: Buffer, headers: Record<string, string> = {}): Promise<Answer> =>
  post(`/api/deploy/${name}`, archive, { host: `127.0.0.1:${cloud.port}`, 'content-type': 'application/gzip', ...headers })

describe('deploying into a running local cloud', () => {
  test('a new function, then a new version: in-flight invocations finish on the old code, the next ones run the new', async () => {
    const first = await deploy('version', version('v1'))
    assert.equal(first.status, 200, JSON.stringify(first.body))
    assert.equal(first.body['replaced'], false)
    assert.equal(first.body['build'], hashOf('v1'), 'the build hash of what was deployed')
    const v1 = (await callFunction(cloud.url, 'version', {}, 'deployer-1')).body as { version: string; dir: string }
    assert.equal(v1.version, 'v1')

    const inFlight = Array.from({ length: 5 }, (_, i) => callFunction(cloud.url, 'version', { ms: 600 }, `deployer-${i}`))
    await new Promise((r) => setTimeout(r, 100))
    const second = await deploy('version', version('v2'))
    assert.equal(second.status, 200, JSON.stringify(second.body))
    assert.equal(second.body['replaced'], true)
    const after = (await callFunction(cloud.url, 'version', {}, 'deployer-2')).body as { version: string; dir: string }
    assert.equal(after.version, 'v2', 'the next invocation runs the new code')
    assert.notEqual(after.dir, v1.dir, 'from a new folder')
    for (const { status, body } of await Promise.all(inFlight)) {
      assert.equal(status, 200)
      assert.equal((body as { version: string }).version, 'v1', 'started on v1, finished on v1')
    }
  })

  test('a built function is replaced the same way (its timeout now from the deployed config.json)', async () => {
    assert.equal((await callFunction(cloud.url, 'hang', {})).status, 504)
    const swapped = await deploy('hang', version('v3'))
    assert.equal(swapped.status, 200)
    assert.equal(swapped.body['replaced'], true)
    assert.equal(((await callFunction(cloud.url, 'hang', {})).body as { version: string }).version, 'v3')
  })
})

describe('the guard in front of it', () => {
  const archive = version('v9')

  test('a foreign Host (DNS rebinding) or Origin (a page) is refused', async () => {
    assert.equal((await deploy('version', archive, { host: `evil.example:${cloud.port}` })).body.error?.code, 'FORBIDDEN_HOST')
    assert.equal((await deploy('version', archive, { origin: 'http://evil.example' })).body.error?.code, 'FORBIDDEN_ORIGIN')
  })

  test('only application/gzip: no "simple" content type a page could send cross-site', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json']) {
      const answer = await deploy('version', archive, { 'content-type': type })
      assert.equal(answer.status, 415, type)
    }
  })

  test('bad names and bad archives are refused, and the running version keeps answering', async () => {
    assert.equal((await deploy('1bad', archive)).body.error?.code, 'INVALID_ARGUMENT')
    assert.equal((await deploy('x'.repeat(61), archive)).status, 400)
    assert.equal((await deploy('version', Buffer.from('not an archive'))).body.error?.code, 'INVALID_ARCHIVE')
    const escape = packEntries([
      { path: 'index.js', bytes: Buffer.from('') },
      { path: '../../escape.js', bytes: Buffer.from('') },
    ])
    assert.match((await deploy('version', escape)).body.error?.message ?? '', /not a safe relative path/)
    const link = packEntries([
      { path: 'index.js', bytes: Buffer.from('') },
      { path: 'l', bytes: Buffer.alloc(0), type: '2' },
    ])
    assert.match((await deploy('version', link)).body.error?.message ?? '', /only regular files/)
    assert.match((await deploy('version', packEntries([{ path: 'main.js', bytes: Buffer.from('') }]))).body.error?.message ?? '', /no index\.js/)
    const get = await fetch(`${cloud.url}/api/deploy/version`)
    assert.equal(get.status, 405)
    assert.equal(((await callFunction(cloud.url, 'version', {}, 'deployer-3')).body as { version: string }).version, 'v2')
  })

  test('a caller that is not on loopback is refused before its body is read', async () => {
    let status = 0
    const req = { socket: { remoteAddress: '192.168.1.20' }, headers: {}, on: () => assert.fail('the body was read') } as unknown as IncomingMessage
    await assert.rejects(deployFunction(cloud.runner, req, {} as ServerResponse, 'version', 'POST'), (error: { status: number; code: string }) => {
      status = error.status
      return error.code === 'FORBIDDEN'
    })
    assert.equal(status, 403)
  })
})
