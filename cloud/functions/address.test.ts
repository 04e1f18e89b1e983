// The delivery address and note through the local cloud: snapshotted on the order and shown by
// queryOrder; a bad one is refused in the shopper's words before anything is written.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { CreateOrderData, OrderView } from '../payment/contracts'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { assertShopperWords } from '../payment/testing/shopperWords'
import { call, data, storedOrder } from '../local/testing/shop'

const ADDRESS = { recipient: '李四', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 90 号 5 楼' }
const ITEMS = [{ goodsId: 'goods-coffee', quantity: 1 }]
let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud()
})
after(() => cloud.stop())

test('an order made with an address and note shows them in queryOrder, as stored', async () => {
  const shopper = 'address-shopper-1'
  const made = data(
    await call<CreateOrderData>(
      cloud,
      'createOrder',
      { items: ITEMS, address: { ...ADDRESS, detail: ` ${ADDRESS.detail}\n` }, note: '放快递柜 ', requestId: 'address-req-0001' },
      shopper,
    ),
  )
  const view = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo: made.outTradeNo }, shopper))
  assert.deepEqual(view.address, ADDRESS)
  assert.equal(view.note, '放快递柜')
  const stored = storedOrder(cloud, made.outTradeNo)
  assert.deepEqual(stored?.['address'], ADDRESS)
  assert.equal(stored?.['note'], '放快递柜')
  const list = data(await call<{ items: OrderView[] }>(cloud, 'queryOrder', {}, shopper))
  assert.deepEqual(
    list.items.map((o) => [o.outTradeNo, o.address, o.note]),
    [[made.outTradeNo, ADDRESS, '放快递柜']],
  )
})

test('an order without an address is refused in the shopper’s words, and nothing is written', async () => {
  const shopper = 'address-shopper-2'
  const requests = cloud.engine.count('order_requests', {})
  for (const event of [{ items: ITEMS }, { items: ITEMS, address: null, requestId: 'address-req-0002' }]) {
    const result = await call(cloud, 'createOrder', event, shopper)
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'INVALID_ARGUMENT')
    assert.equal(result.error.message, '请填写收货地址')
  }
  assert.equal(cloud.engine.count('orders', { _openid: shopper }), 0)
  assert.equal(cloud.engine.count('order_requests', {}), requests)
})

test('a bad mobile is INVALID_ARGUMENT in the shopper’s words, and writes no order and no order request', async () => {
  const shopper = 'address-shopper-3'
  const orders = cloud.engine.count('orders', {})
  const requests = cloud.engine.count('order_requests', {})
  const result = await call(cloud, 'createOrder', { items: ITEMS, address: { ...ADDRESS, mobile: '1391234567' }, requestId: 'address-req-0003' }, shopper)
  assert.equal(result.ok, false)
  assert.ok(!result.ok)
  assert.equal(result.error.code, 'INVALID_ARGUMENT')
  assert.equal(result.error.message, '手机号码格式不正确')
  assertShopperWords(result.error.message)
  assert.equal(cloud.engine.count('orders', {}), orders)
  assert.equal(cloud.engine.count('orders', { _openid: shopper }), 0)
  assert.equal(cloud.engine.count('order_requests', {}), requests)
})
