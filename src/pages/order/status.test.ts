import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FulfilmentView, OrderView } from '../../../cloud/payment/contracts'
import { statusView } from './status'

const payment: OrderView['payment'] = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 's' }
const order = (over: Partial<OrderView>): OrderView => ({
  outTradeNo: '1',
  items: [],
  totalFee: 3990,
  status: 'SUCCESS',
  tradeStateDesc: '',
  transactionId: null,
  paidAt: null,
  createdAt: '',
  expireAt: '',
  payment: null,
  refundedFee: 0,
  refunds: [],
  address: null,
  note: null,
  fulfilment: null,
  afterSales: [],
  actions: { pay: false, cancel: false, refund: false, afterSale: false, confirmReceipt: false },
  ...over,
})
const fulfilment = (over: Partial<FulfilmentView>): FulfilmentView => ({
  state: 'PENDING',
  carrier: null,
  trackingNo: null,
  shippedAt: null,
  receivedAt: null,
  autoReceived: false,
  ...over,
})

test('unpaid: the time left while it can be paid; 订单已超时关闭 once it cannot, on screen or at the server', () => {
  assert.deepEqual(statusView(order({ status: 'NOTPAY', payment }), '29:59').lines, ['剩余支付时间 29:59', '超时未支付，订单将自动关闭'])
  assert.equal(statusView(order({ status: 'PAYERROR', payment }), '29:59').title, '支付失败')
  for (const expired of [statusView(order({ status: 'NOTPAY', payment }), null), statusView(order({ status: 'NOTPAY' }), '29:59')])
    assert.deepEqual([expired.title, expired.lines], ['已取消', ['订单已超时关闭']])
})

test('paid: where the goods are, the carrier and tracking number once shipped', () => {
  assert.deepEqual(statusView(order({ fulfilment: fulfilment({}) }), null).lines, ['商家正在备货，发货后可在这里查看物流'])
  const shipped = statusView(
    order({ fulfilment: fulfilment({ state: 'SHIPPED', carrier: '顺丰速运', trackingNo: 'SF1', shippedAt: '2026-01-02T03:04:05Z' }) }),
    null,
  )
  assert.equal(shipped.title, '待收货')
  assert.deepEqual(shipped.tracking, { carrier: '顺丰速运', trackingNo: 'SF1' })
  assert.match(shipped.lines.join('|'), /^已发货 2026-01-02 \d\d:04:05\|发货 10 天后将自动确认收货$/)
  const local = statusView(order({ fulfilment: fulfilment({ state: 'SHIPPED', carrier: '同城配送', shippedAt: '2026-01-02T03:04:05Z' }) }), null)
  assert.equal(local.tracking, null)
  assert.equal(local.lines[0], '配送方式 同城配送', 'without a tracking number, the way it comes')
  const auto = statusView(order({ fulfilment: fulfilment({ state: 'RECEIVED', receivedAt: '2026-01-12T03:04:05Z', autoReceived: true }) }), null)
  assert.deepEqual([auto.title, auto.lines[0]?.startsWith('已自动确认收货 ')], ['已完成', true])
})

test('refunds: how much is on its way back, then how much came back', () => {
  const refund = { outRefundNo: 'R', refundFee: 3990, createdAt: '', settledAt: null }
  const cancelled = fulfilment({ state: 'CANCELLED' })
  const refunding = statusView(order({ fulfilment: cancelled, refunds: [{ ...refund, status: 'PROCESSING' }] }), null)
  assert.deepEqual([refunding.title, refunding.lines], ['退款中', ['退款 ¥39.90 正在处理，将原路退回微信零钱或原支付方式']])
  const refunded = statusView(order({ status: 'REFUND', fulfilment: cancelled, refundedFee: 3990, refunds: [{ ...refund, status: 'SUCCESS' }] }), null)
  assert.deepEqual([refunded.title, refunded.lines], ['已退款', ['¥39.90 已原路退回微信零钱或原支付方式']])
  assert.deepEqual(statusView(order({ status: 'CLOSED' }), null).lines, ['订单已关闭，没有扣款'])
})
