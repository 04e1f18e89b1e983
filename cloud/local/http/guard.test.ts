// The local cloud on a developer's laptop, attacked by a web page the developer visits: DNS
// rebinding (a foreign Host), cross-site posts (a foreign Origin, "simple" content types that
// skip the CORS preflight), hostile JSON. Each attack is one that worked before the guard.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, beforeEach, test } from 'node:test'
import { newOutTradeNo, orderParams, sdkAs } from '../faults/testkit'
import { databaseFor, startTestCloud, type TestCloud } from '../testing/harness'
import { DELIVERY_ADDRESS, placeOrder } from '../testing/shop'

type Answer = { status: number; text: string; json: () => Record<string, unknown> & { error?: { code: string; message: string } } }

let cloud: TestCloud
let own: string
let invoked: string[] = []

/** A request with exactly these headers (Node's fetch would set Host itself). */
function raw(method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: cloud.port,
        method,
        path,
        headers: { host: own, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
        agent: false,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) as ReturnType<Answer['json']> }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const json = { 'content-type': 'application/json' }
const shopper = { ...json, 'x-wx-openid': 'shopper-guard' }
const insertOrder = (id: string): string =>
  JSON.stringify({ action: 'database.insertDocument', collectionName: 'orders', data: [{ _id: id, status: 'SUCCESS' }] })

function refused(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text)
  assert.equal(answer.json().error?.code, code)
}

before(async () => {
  cloud = await startTestCloud({ functionEnv: { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', WXPAY_KEY: 'secretkeysecretkeysecretkey12345' } })
  own = `127.0.0.1:${cloud.port}`
  const invoke = cloud.runner.invoke.bind(cloud.runner)
  cloud.runner.invoke = (name, event, caller) => {
    invoked.push(name)
    return invoke(name, event, caller)
  }
})
beforeEach(() => {
  invoked = []
})
after(() => cloud.stop())

test('a text/plain post to /admin (a cross-site form) inserts nothing; the same request as JSON would', async () => {
  refused(await raw('POST', '/admin', { 'content-type': 'text/plain' }, insertOrder('planted-plain')), 415, 'UNSUPPORTED_MEDIA_TYPE')
  refused(await raw('POST', '/admin', { 'content-type': 'application/x-www-form-urlencoded' }, insertOrder('planted-form')), 415, 'UNSUPPORTED_MEDIA_TYPE')
  assert.equal(cloud.engine.getById('orders', 'planted-plain'), undefined)
  assert.equal(cloud.engine.getById('orders', 'planted-form'), undefined)

  const control = await raw('POST', '/admin', json, insertOrder('inserted-json'))
  assert.equal(control.status, 200, control.text)
  assert.ok(cloud.engine.getById('orders', 'inserted-json'))
})

test('DNS rebinding: a request for another host is refused, whatever the route', async () => {
  const evil = { host: `evil.example:${cloud.port}` }
  refused(await raw('GET', '/healthz', evil), 403, 'FORBIDDEN_HOST')
  refused(await raw('GET', '/sim/notifications', evil), 403, 'FORBIDDEN_HOST')
  refused(await raw('POST', '/admin', { ...evil, ...json }, insertOrder('planted-rebind')), 403, 'FORBIDDEN_HOST')
  refused(await raw('POST', '/api/functions/listGoods', { ...evil, ...shopper }, '{}'), 403, 'FORBIDDEN_HOST')
  refused(await raw('GET', '/healthz', { host: '127.0.0.1:1' }), 403, 'FORBIDDEN_HOST')
  assert.equal(cloud.engine.getById('orders', 'planted-rebind'), undefined)
  assert.deepEqual(invoked, [])
  assert.equal((await raw('GET', '/healthz', { host: `localhost:${cloud.port}` })).status, 200)
})

test('a post from another origin to /sim/pay pays nothing; from the app itself it pays', async () => {
  const order = await placeOrder(cloud, 'shopper-guard')
  const pay = JSON.stringify({ outTradeNo: order.outTradeNo, result: 'SUCCESS' })
  refused(await raw('POST', '/sim/pay', { ...json, origin: 'http://evil.example' }, pay), 403, 'FORBIDDEN_ORIGIN')
  refused(await raw('POST', '/sim/pay', { ...json, origin: 'null' }, pay), 403, 'FORBIDDEN_ORIGIN')
  refused(await raw('POST', '/sim/pay', { 'content-type': 'text/plain' }, pay), 415, 'UNSUPPORTED_MEDIA_TYPE')
  assert.notEqual(cloud.engine.find('_sim_trades', { outTradeNo: order.outTradeNo })[0]?.['state'], 'SUCCESS')
  assert.equal(cloud.engine.find('orders', { outTradeNo: order.outTradeNo })[0]?.['status'], 'NOTPAY')

  const paid = await raw('POST', '/sim/pay', { ...json, origin: `http://${own}` }, pay)
  assert.equal(paid.status, 200, paid.text)
  assert.equal(typeof paid.json()['transactionId'], 'string')
})

test('a post from another origin to a function never invokes it; the app on localhost or 127.0.0.1 does', async () => {
  const event = JSON.stringify({ items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS })
  const before = cloud.engine.count('orders', {})
  refused(await raw('POST', '/api/functions/createOrder', { ...shopper, origin: 'http://evil.example' }, event), 403, 'FORBIDDEN_ORIGIN')
  refused(await raw('POST', '/api/functions/createOrder', { ...shopper, origin: `http://evil.example:${cloud.port}` }, event), 403, 'FORBIDDEN_ORIGIN')
  refused(await raw('POST', '/api/functions/createOrder', { ...shopper, 'content-type': 'text/plain' }, event), 415, 'UNSUPPORTED_MEDIA_TYPE')
  assert.deepEqual(invoked, [])
  assert.equal(cloud.engine.count('orders', {}), before)

  for (const origin of [`http://127.0.0.1:${cloud.port}`, `http://localhost:${cloud.port}`]) {
    const created = await raw('POST', '/api/functions/createOrder', { ...shopper, 'content-type': 'application/json; charset=utf-8', origin }, event)
    assert.equal(created.status, 200, created.text)
    assert.equal(created.json()['ok'], true, created.text)
  }
  const rebound = await raw('POST', '/api/functions/listGoods', { ...shopper, host: `localhost:${cloud.port}`, origin: `http://localhost:${cloud.port}` }, '{}')
  assert.equal(rebound.status, 200, rebound.text)
  assert.equal(cloud.engine.count('orders', {}), before + 2)
})

test('a form-urlencoded post to /sim/faults adds no fault', async () => {
  refused(
    await raw('POST', '/sim/faults', { 'content-type': 'application/x-www-form-urlencoded' }, '{"gateway":[{"api":"*","fault":"reset"}]}'),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  )
  refused(await raw('DELETE', '/sim/faults', { 'content-type': 'text/plain' }, 'x'), 415, 'UNSUPPORTED_MEDIA_TYPE')
  assert.deepEqual(cloud.faults.list(), [])
  assert.equal((await raw('DELETE', '/sim/faults', {})).status, 200)
})

test('the real wx-server-sdk still reaches /admin: database actions (JSON) and cloudPay (multipart)', async () => {
  const db = databaseFor(cloud.url)
  await db.collection('orders').add({ data: { _id: 'sdk-written', status: 'NOTPAY' } })
  assert.ok(cloud.engine.getById('orders', 'sdk-written'))
  const answer = await sdkAs(cloud, 'shopper-sdk').cloudPay.unifiedOrder(orderParams(newOutTradeNo()))
  assert.equal(answer['returnCode'], 'SUCCESS', JSON.stringify(answer))
})

test('the HTTP trigger and the APIv2 simulator take XML, like the real ones', async () => {
  const xml = '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>'
  const trigger = await raw('POST', '/api/http/payNotify', { 'content-type': 'text/xml' }, xml)
  assert.ok(trigger.status < 400, trigger.text)
  assert.deepEqual(invoked, ['payNotify'])
  const apiV2 = await raw('POST', '/pay/orderquery', { 'content-type': 'text/xml' }, xml)
  assert.equal(apiV2.status, 200, apiV2.text)
  assert.match(apiV2.text, /<xml>/)
})

test('JSON nested 100,000 deep is 400 before any function runs; the next call is served', async () => {
  const deep = [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`]
  for (const body of deep) {
    const answer = await raw('POST', '/api/functions/listGoods', shopper, body)
    refused(answer, 400, 'INVALID_JSON')
    assert.match(answer.json().error?.message ?? '', /deeper than 64 levels/)
  }
  refused(await raw('POST', '/sim/pay', json, deep[0]), 400, 'INVALID_JSON')
  assert.deepEqual(invoked, [])
  const next = await raw('POST', '/api/functions/listGoods', shopper, JSON.stringify({ nested: [[[{ a: ['[', '{'] }]]] }))
  assert.equal(next.status, 200, next.text)
  assert.deepEqual(invoked, ['listGoods'])
})

test('/api/invocations registers a caller and returns its token only, never an environment', async () => {
  const answer = await raw('POST', '/api/invocations', json, JSON.stringify({ functionName: 'createOrder', openid: 'debugger-1' }))
  assert.equal(answer.status, 200, answer.text)
  const body = answer.json()
  assert.deepEqual(Object.keys(body), ['token'])
  assert.doesNotMatch(answer.text, /secretkey|TCB_CONTEXT_CNFG|PATH|HOME/)
  assert.equal(cloud.runner.callerOf(String(body['token']))?.openid, 'debugger-1')
  refused(await raw('POST', '/api/invocations', { 'content-type': 'text/plain' }, '{"functionName":"createOrder"}'), 415, 'UNSUPPORTED_MEDIA_TYPE')
})
