import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ORDER_STATUSES, PAYMENT_SIGN_TYPES, REFUND_STATUSES } from '../../cloud/payment/contracts'
import { createApi } from './api'
import { CloudError } from './transport'

const order = {
  outTradeNo: '20261127090000abcdefABCDEF12',
  items: [{ goodsId: 'goods-coffee', name: '咖啡', priceFen: 6800, quantity: 2, pic: '/p.png' }],
  totalFee: 13600,
  status: 'NOTPAY',
  tradeStateDesc: '待支付',
  transactionId: null,
  paidAt: null,
  createdAt: '2026-11-27T01:00:00.000Z',
  expireAt: '2026-11-27T03:00:00.000Z',
  payment: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 'S' },
  refundedFee: 0,
  refunds: [],
  address: null,
  note: null,
  fulfilment: null,
  afterSales: [],
  actions: { pay: true, cancel: true, refund: false, afterSale: false, confirmReceipt: false },
}

test('answers are parsed: a well-formed order passes, a malformed one is BAD_RESPONSE', async () => {
  const api = (data: unknown) => createApi(async () => data)
  assert.deepEqual(await api(order).queryOrder(order.outTradeNo), order)
  const address = { recipient: '李雷', mobile: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' }
  const fulfilment = { state: 'SHIPPED', carrier: '顺丰速运', trackingNo: 'SF1', shippedAt: order.createdAt, receivedAt: null, autoReceived: false }
  const afterSales = [{ id: 'a1', reason: '杯子有裂纹', state: 'PENDING', createdAt: order.createdAt, decidedAt: null, reply: null }]
  const delivered = { ...order, address, note: '放门口', fulfilment, afterSales }
  assert.deepEqual(await api(delivered).queryOrder(order.outTradeNo), delivered)
  for (const broken of [
    { ...order, address: { ...address, mobile: 13800138000 } },
    { ...order, address: '杭州' },
    { ...order, totalFee: 19.9 },
    { ...order, status: 'PAID' },
    { ...order, items: [{ goodsId: 'x' }] },
    { ...order, payment: { paySign: 'S' } },
    { ...order, fulfilment: { state: 'LOST' } },
    { ...order, afterSales: [{ id: 'a', reason: '坏了', state: 'DONE', createdAt: order.createdAt }] },
    null,
  ]) {
    await assert.rejects(api(broken).queryOrder(order.outTradeNo), (error: unknown) => error instanceof CloudError && error.code === 'BAD_RESPONSE')
  }
})

test('every status and sign type of the contracts is accepted, and nothing else', async () => {
  const api = (data: unknown) => createApi(async () => data)
  const refund = { outRefundNo: 'R1', refundFee: 100, status: 'SUCCESS', createdAt: order.createdAt, settledAt: null }
  for (const status of ORDER_STATUSES) assert.equal((await api({ ...order, status }).queryOrder(order.outTradeNo)).status, status)
  for (const signType of PAYMENT_SIGN_TYPES) {
    assert.equal((await api({ ...order, payment: { ...order.payment, signType } }).queryOrder(order.outTradeNo)).payment?.signType, signType)
  }
  for (const status of REFUND_STATUSES) {
    assert.equal((await api({ ...order, refunds: [{ ...refund, status }] }).queryOrder(order.outTradeNo)).refunds[0]?.status, status)
  }
  const rejected = (error: unknown) => error instanceof CloudError && error.code === 'BAD_RESPONSE'
  await assert.rejects(api({ ...order, status: 'toString' }).queryOrder(order.outTradeNo), rejected)
  await assert.rejects(api({ ...order, payment: { ...order.payment, signType: 'SHA1' } }).queryOrder(order.outTradeNo), rejected)
  await assert.rejects(api({ ...order, refunds: [{ ...refund, status: 'DONE' }] }).queryOrder(order.outTradeNo), rejected)
})

test('createOrder sends only goods ids and quantities, never a price', async () => {
  const sent: unknown[] = []
  const api = createApi(async (name, data) => {
    sent.push([name, data])
    return { outTradeNo: order.outTradeNo, totalFee: 13600, payment: order.payment }
  })
  const line = { goodsId: 'goods-coffee', quantity: 2, priceFen: 1, name: 'x' } as { goodsId: string; quantity: number }
  const address = { recipient: '李雷', mobile: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' }
  await api.createOrder({ items: [line], address, requestId: 'r1' })
  assert.deepEqual(sent, [['createOrder', { items: [{ goodsId: 'goods-coffee', quantity: 2 }], address, requestId: 'r1' }]])
})

test('a missing or malformed actions field means the shopper may do nothing', async () => {
  const api = (data: unknown) => createApi(async () => data)
  const none = { pay: false, cancel: false, refund: false, afterSale: false, confirmReceipt: false }
  assert.deepEqual((await api({ ...order, actions: undefined }).queryOrder(order.outTradeNo)).actions, none)
  assert.deepEqual((await api({ ...order, actions: { pay: 'yes', refund: true } }).queryOrder(order.outTradeNo)).actions, { ...none, refund: true })
})

test('goods: pictures fall back to the cover; the on-sale flag is required', async () => {
  const api = (data: unknown) => createApi(async () => data)
  const goods = { _id: 'g', name: '杯', description: '', priceFen: 100, pic: '/a.png', onSale: false }
  assert.deepEqual((await api(goods).getGoods('g')).pics, ['/a.png'])
  assert.deepEqual((await api({ ...goods, pics: ['/b.png', 3, '/c.png'] }).getGoods('g')).pics, ['/b.png', '/c.png'])
  await assert.rejects(api({ ...goods, onSale: undefined }).getGoods('g'), (error: unknown) => error instanceof CloudError && error.code === 'BAD_RESPONSE')
})
