// The function runner and the HTTP gateway in front of it, with small fixture functions.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { callFunction, FIXTURE_FUNCTIONS, startTestCloud, type TestCloud } from '../testing/harness'

let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud({ functionsDir: FIXTURE_FUNCTIONS, defaultTimeoutSeconds: 10 })
})
after(() => cloud.stop())

type WhoAmI = { before: Record<string, unknown>; after: Record<string, unknown>; total: number; tag: number }

test('50 concurrent invocations each see only their own WeChat context', async () => {
  const calls = Array.from({ length: 50 }, (_, i) => callFunction(cloud.url, 'whoami', { tag: i }, `shopper-${i}-x`))
  const results = await Promise.all(calls)
  results.forEach(({ status, body }, i) => {
    assert.equal(status, 200)
    const result = body as WhoAmI
    assert.equal(result.tag, i)
    for (const context of [result.before, result.after]) {
      assert.equal(context['OPENID'], `shopper-${i}-x`)
      assert.equal(context['APPID'], 'wx0000000000test')
      assert.equal(context['SOURCE'], 'wx_client')
      assert.equal(context['ENV'], 'test-env')
      assert.equal('API_TOKEN' in context, false)
    }
    assert.equal(result.total, 7) // the seeded goods, read through the SDK inside the function
  })
})

test('a hung invocation ends at the function timeout with a clear error', async () => {
  const started = Date.now()
  const { status, body } = await callFunction(cloud.url, 'hang', {})
  assert.equal(status, 504)
  assert.equal((body as { error: { code: string } }).error.code, 'FUNCTION_TIMEOUT')
  assert.match((body as { error: { message: string } }).error.message, /timed out after 1 seconds/)
  assert.ok(Date.now() - started < 5000)
})

test('a handler that throws answers 502 FUNCTION_ERROR and the instance keeps serving', async () => {
  const { status, body } = await callFunction(cloud.url, 'boom', {})
  assert.equal(status, 502)
  assert.equal((body as { error: { code: string } }).error.code, 'FUNCTION_ERROR')
  assert.match((body as { error: { message: string } }).error.message, /boom/)
  assert.equal((await callFunction(cloud.url, 'whoami', { tag: 1 }, 'after-boom')).status, 200)
})

test('a crash outside the handler kills only that function instance; the next call starts a new one', async () => {
  const { status, body } = await callFunction(cloud.url, 'crash', {})
  assert.equal(status, 502)
  assert.equal((body as { error: { code: string } }).error.code, 'FUNCTION_CRASHED')
  assert.equal((await fetch(`${cloud.url}/healthz`)).status, 200)
  assert.equal((await callFunction(cloud.url, 'crash', {})).status, 502)
  assert.equal((await callFunction(cloud.url, 'whoami', { tag: 2 }, 'after-crash')).status, 200)
})

test('200 concurrent invocations racing one conditional update: exactly one wins', async () => {
  await cloud.engine.insert('orders', [{ _id: 'race-order', status: 'NOTPAY' }]).written
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => callFunction(cloud.url, 'claim', { orderId: 'race-order', tag: i }, `racer-${i}-x`)))
  assert.ok(results.every((r) => r.status === 200))
  const winners = results.map((r, i) => ({ i, updated: (r.body as { updated: number }).updated })).filter((r) => r.updated === 1)
  assert.equal(winners.length, 1)
  assert.equal(cloud.engine.getById('orders', 'race-order')?.doc['winner'], winners[0]!.i)
})

test('gateway errors: unknown function 404, malformed JSON 400, body over 1 MB 413, bad openid 400', async () => {
  const unknown = await callFunction(cloud.url, 'noSuchFunction', {})
  assert.equal(unknown.status, 404)
  assert.equal((unknown.body as { error: { code: string } }).error.code, 'FUNCTION_NOT_FOUND')

  const post = (body: string, headers: Record<string, string> = { 'x-wx-openid': 'someone' }) =>
    fetch(`${cloud.url}/api/functions/whoami`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  const malformed = await post('{"tag":')
  assert.equal(malformed.status, 400)
  assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, 'INVALID_JSON')

  const huge = await post(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }))
  assert.equal(huge.status, 413)
  assert.equal(((await huge.json()) as { error: { code: string } }).error.code, 'PAYLOAD_TOO_LARGE')

  for (const headers of [{}, { 'x-wx-openid': '12345' }, { 'x-wx-openid': 'a b' }] as Array<Record<string, string>>) {
    const bad = await post('{}', headers)
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_OPENID')
  }
  assert.equal((await fetch(`${cloud.url}/api/functions/whoami`)).status, 405)
  assert.equal((await fetch(`${cloud.url}/healthz`)).status, 200)
})

test('an HTTP-trigger call gets the request as an event and no shopper identity', async () => {
  const res = await fetch(`${cloud.url}/api/http/whoami?x=1`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<xml></xml>' })
  assert.equal(res.status, 200)
  const result = (await res.json()) as WhoAmI
  assert.equal(result.before['SOURCE'], 'wx_http')
  assert.equal('OPENID' in result.before, false)
})
