import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { createApi } from './api'
import { browserOpenid, httpTransport } from './localCloud'
import { CloudError, weappTransport, type WxCloud } from './transport'

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise
    return 'resolved'
  } catch (error) {
    return error instanceof CloudError ? error.code : `not a CloudError: ${String(error)}`
  }
}

describe('weapp transport (wx.cloud.callFunction)', () => {
  const cloud = (answer: () => Promise<{ result?: unknown }>): WxCloud & { calls: unknown[] } => {
    const calls: unknown[] = []
    return { calls, callFunction: (options) => (calls.push(options), answer()) }
  }

  test('passes the name and event, returns the data', async () => {
    const fake = cloud(async () => ({ result: { ok: true, data: { n: 1 } } }))
    assert.deepEqual(await weappTransport(fake)('listGoods', { limit: 2 }), { n: 1 })
    assert.deepEqual(fake.calls, [{ name: 'listGoods', data: { limit: 2 } }])
  })

  test("the function's error code comes through; a failed call is TRANSPORT_ERROR; garbage is BAD_RESPONSE", async () => {
    assert.equal(
      await codeOf(weappTransport(cloud(async () => ({ result: { ok: false, error: { code: 'ORDER_NOT_FOUND', message: '订单不存在' } } })))('queryOrder', {})),
      'ORDER_NOT_FOUND',
    )
    assert.equal(
      await codeOf(weappTransport(cloud(() => Promise.reject(Object.assign(new Error('x'), { errMsg: 'cloud.callFunction:fail' }))))('queryOrder', {})),
      'TRANSPORT_ERROR',
    )
    assert.equal(await codeOf(weappTransport(cloud(async () => ({ result: 'hello' })))('queryOrder', {})), 'BAD_RESPONSE')
    assert.equal(await codeOf(weappTransport(cloud(async () => ({})))('queryOrder', {})), 'BAD_RESPONSE')
  })
})

describe('H5 transport (HTTP to the local cloud)', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud()
  })
  after(() => cloud.stop())

  const apiAs = (openid: string) => createApi(httpTransport({ fetch, baseUrl: cloud.url, openid: () => openid }))

  test('lists goods from the database', async () => {
    const page = await apiAs('local-aaaaaaaaaaaaaaaaaaaaaaaa').listGoods({ limit: 3 })
    assert.deepEqual(
      page.items.map((g) => g._id),
      ['goods-coffee', 'goods-ginger-tea', 'goods-mug'],
    )
    assert.equal(page.nextCursor, 'goods-mug')
  })

  test('the X-WX-OPENID header is the shopper: each sees only their own orders', async () => {
    const alice = apiAs('local-a11ce0000000000000000000')
    const bob = apiAs('local-b0b000000000000000000000')
    const address = { recipient: '李雷', mobile: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' }
    const { outTradeNo } = await alice.createOrder({ items: [{ goodsId: 'goods-coffee', quantity: 1 }], address })
    assert.equal((await alice.queryOrder(outTradeNo)).status, 'NOTPAY')
    assert.equal(await codeOf(bob.queryOrder(outTradeNo)), 'ORDER_NOT_FOUND')
    assert.deepEqual((await bob.listOrders()).items, [])
  })

  test('an HTTP failure without an envelope is TRANSPORT_ERROR with the gateway message', async () => {
    const call = httpTransport({ fetch, baseUrl: cloud.url, openid: () => 'local-cccccccccccccccccccccccc' })
    const error = await call('noSuchFunction', {}).catch((e: unknown) => e)
    assert.ok(error instanceof CloudError)
    assert.equal(error.code, 'TRANSPORT_ERROR')
    assert.match(error.message, /not deployed/)
    const unreachable = httpTransport({ fetch, baseUrl: 'http://127.0.0.1:9', openid: () => 'local-x' })
    assert.equal(await codeOf(unreachable('listGoods', {})), 'TRANSPORT_ERROR')
  })
})

test('the H5 shopper id is random, non-numeric and kept', () => {
  const memory = new Map<string, string>()
  const storage = { get: (k: string) => memory.get(k), set: (k: string, v: string) => void memory.set(k, v) }
  const id = browserOpenid(storage, () => new Uint8Array(12).fill(171))
  assert.equal(id, `local-${'ab'.repeat(12)}`)
  assert.equal(
    browserOpenid(storage, () => new Uint8Array(12).fill(1)),
    id,
  )
  memory.set('localOpenid', '12345')
  assert.notEqual(
    browserOpenid(storage, () => new Uint8Array(12).fill(2)),
    '12345',
  )
})
