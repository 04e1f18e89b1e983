import assert from 'node:assert/strict'
import { test } from 'node:test'
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
}

test('answers are parsed: a well-formed order passes, a malformed one is BAD_RESPONSE', async () => {
  const api = (data: unknown) => createApi(async () => data)
  assert.deepEqual(await api(order).queryOrder(order.outTradeNo), order)
  for (const broken of [
    { ...order, totalFee: 19.9 },
    { ...order, status: 'PAID' },
    { ...order, items: [{ goodsId: 'x' }] },
    { ...order, payment: { paySign: 'S' } },
    null,
  ]) {
    await assert.rejects(api(broken).queryOrder(order.outTradeNo), (error: unknown) => error instanceof CloudError && error.code === 'BAD_RESPONSE')
  }
})

test('createOrder sends only goods ids and quantities, never a price', async () => {
  const sent: unknown[] = []
  const api = createApi(async (name, data) => {
    sent.push([name, data])
    return { outTradeNo: order.outTradeNo, totalFee: 13600, payment: order.payment }
  })
  const line = { goodsId: 'goods-coffee', quantity: 2, priceFen: 1, name: 'x' } as { goodsId: string; quantity: number }
  await api.createOrder([line])
  assert.deepEqual(sent, [['createOrder', { items: [{ goodsId: 'goods-coffee', quantity: 2 }] }]])
})
