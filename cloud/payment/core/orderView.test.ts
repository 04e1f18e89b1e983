import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fen } from './money'
import { orderBody, toOrderView } from './orderView'
import type { OrderRecord, RefundEntry } from '../ports'
import type { OrderStatus } from './orderState'

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0)
const payment = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5' as const, paySign: 'S' }
const refund = (outRefundNo: string, createdAtMs: number, settled?: number): RefundEntry => ({
  outRefundNo,
  refundFee: fen(100),
  status: settled === undefined ? 'PROCESSING' : 'SUCCESS',
  requestedBy: 'staff',
  createdAt: new Date(createdAtMs),
  ...(settled === undefined ? {} : { settledAt: new Date(settled) }),
})

function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    _id: '20261128100000abcdefABCDEF12',
    outTradeNo: '20261128100000abcdefABCDEF12',
    _openid: 'shopper-1',
    items: [{ goodsId: 'coffee', name: '挂耳咖啡', priceFen: fen(1990), quantity: 2, pic: '/c.png' }],
    totalFee: fen(3980),
    status: 'NOTPAY',
    mode: 'cloudpay',
    mchId: '1900000109',
    refundReservedFee: fen(0),
    refundedFee: fen(0),
    refundsPending: 0,
    refunds: {},
    createdAt: new Date(NOW - 60_000),
    updatedAt: new Date(NOW),
    expireAt: new Date(NOW + 60_000),
    payment,
    ...overrides,
  }
}

test('the shopper sees the order, its words, and the payment only while it can be paid', () => {
  const view = toOrderView(order({ transactionId: 't1', timeEnd: '20261128100500' }), NOW)
  assert.deepEqual(view, {
    outTradeNo: '20261128100000abcdefABCDEF12',
    items: [{ goodsId: 'coffee', name: '挂耳咖啡', priceFen: 1990, quantity: 2, pic: '/c.png' }],
    totalFee: 3980,
    status: 'NOTPAY',
    tradeStateDesc: '待支付',
    transactionId: 't1',
    paidAt: '2026-11-28T02:05:00.000Z',
    createdAt: new Date(NOW - 60_000).toISOString(),
    expireAt: new Date(NOW + 60_000).toISOString(),
    payment,
    refundedFee: 0,
    refunds: [],
    address: null,
    note: null,
  })
  const payableIn: Record<OrderStatus, boolean> = { NOTPAY: true, PAYERROR: true, SUCCESS: false, REFUND: false, CLOSED: false }
  for (const [status, payable] of Object.entries(payableIn)) {
    assert.equal(toOrderView(order({ status: status as OrderStatus }), NOW).payment !== null, payable, status)
  }
  assert.equal(toOrderView(order({ expireAt: new Date(NOW) }), NOW).payment, null) // expired at this instant
  assert.equal(toOrderView(order({ payment: undefined }), NOW).payment, null)
})

test('no payment facts yet: nulls, not guesses; a malformed time_end is no time', () => {
  const view = toOrderView(order(), NOW)
  assert.equal(view.transactionId, null)
  assert.equal(view.paidAt, null)
  assert.equal(toOrderView(order({ timeEnd: '20261399000000' }), NOW).paidAt, null)
})

test('refunds are listed oldest first, with their settle time when there is one', () => {
  const view = toOrderView(
    order({
      status: 'SUCCESS',
      refundedFee: fen(100),
      refunds: { 'R-late': refund('R-late', NOW - 1_000), 'R-early': refund('R-early', NOW - 5_000, NOW - 4_000) },
    }),
    NOW,
  )
  assert.deepEqual(view.refunds, [
    {
      outRefundNo: 'R-early',
      refundFee: 100,
      status: 'SUCCESS',
      createdAt: new Date(NOW - 5_000).toISOString(),
      settledAt: new Date(NOW - 4_000).toISOString(),
    },
    { outRefundNo: 'R-late', refundFee: 100, status: 'PROCESSING', createdAt: new Date(NOW - 1_000).toISOString(), settledAt: null },
  ])
  assert.equal(view.refundedFee, 100)
  assert.equal(view.tradeStateDesc, '支付成功')
})

test('the bill body: the first goods name, shortened past 24 characters, and the count', () => {
  assert.equal(orderBody([{ name: '挂耳咖啡', quantity: 1 }]), '挂耳咖啡')
  assert.equal(orderBody([{ name: '挂耳咖啡', quantity: 2 }]), '挂耳咖啡 等2件')
  assert.equal(
    orderBody([
      { name: '挂耳咖啡', quantity: 1 },
      { name: '红茶', quantity: 3 },
    ]),
    '挂耳咖啡 等4件',
  )
  assert.equal(orderBody([{ name: 'a'.repeat(24), quantity: 1 }]), 'a'.repeat(24))
  assert.equal(orderBody([{ name: 'b'.repeat(25), quantity: 1 }]), `${'b'.repeat(24)}…`)
  assert.equal(orderBody([]), '商品')
})

test('the shopper sees the delivery address and note the order was made with', () => {
  const address = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }
  const stored = order({ address, note: '放门口' })
  const view = toOrderView(stored, NOW)
  assert.deepEqual(view.address, address)
  assert.equal(view.note, '放门口')
  assert.notEqual(view.address, stored.address)
})
