import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fen } from './money'
import { orderBody, toOrderView } from './orderView'
import type { OrderActions } from '../contracts'
import type { OrderRecord, RefundEntry } from '../ports'
import type { AfterSaleEntry } from './afterSale'
import type { Fulfilment } from './fulfilment'
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
    afterSales: {},
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
    fulfilment: null,
    afterSales: [],
    actions: { pay: true, cancel: true, refund: false, afterSale: false, confirmReceipt: false },
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

const paid = (fulfilment: Fulfilment | undefined, overrides: Partial<OrderRecord> = {}): OrderRecord =>
  order({ status: 'SUCCESS', transactionId: 't1', timeEnd: '20261128100500', ...(fulfilment ? { fulfilment } : {}), ...overrides })
const afterSale = (id: string, createdAtMs: number, state: AfterSaleEntry['state'] = 'PENDING', decided?: { at: number; reply: string }): AfterSaleEntry => ({
  id,
  reason: `原因 ${id}`,
  state,
  createdAt: new Date(createdAtMs),
  ...(decided ? { decidedAt: new Date(decided.at), reply: decided.reply } : {}),
})
const none: OrderActions = { pay: false, cancel: false, refund: false, afterSale: false, confirmReceipt: false }
const actions = (o: OrderRecord, now = NOW): OrderActions => toOrderView(o, now).actions

test('the fulfilment: null until paid; then its state, carrier, tracking number and times', () => {
  assert.equal(toOrderView(order(), NOW).fulfilment, null)
  assert.deepEqual(toOrderView(paid({ state: 'PENDING' }), NOW).fulfilment, {
    state: 'PENDING',
    carrier: null,
    trackingNo: null,
    shippedAt: null,
    receivedAt: null,
    autoReceived: false,
  })
  const shipped: Fulfilment = {
    state: 'RECEIVED',
    carrier: '顺丰速运',
    trackingNo: 'SF1234567890',
    shippedAt: new Date(NOW - 9_000),
    receivedAt: new Date(NOW - 1_000),
    autoReceived: true,
  }
  assert.deepEqual(toOrderView(paid(shipped), NOW).fulfilment, {
    state: 'RECEIVED',
    carrier: '顺丰速运',
    trackingNo: 'SF1234567890',
    shippedAt: new Date(NOW - 9_000).toISOString(),
    receivedAt: new Date(NOW - 1_000).toISOString(),
    autoReceived: true,
  })
  assert.equal(toOrderView(paid({ ...shipped, autoReceived: false }), NOW).fulfilment?.autoReceived, false)
})

test('after-sale requests are listed oldest first (then by id), with the decision when there is one', () => {
  const view = toOrderView(
    paid(
      { state: 'RECEIVED' },
      {
        afterSales: {
          zz: afterSale('zz', NOW - 1_000),
          bb: afterSale('bb', NOW - 5_000),
          aa: afterSale('aa', NOW - 5_000, 'REJECTED', { at: NOW - 2_000, reply: '已超过售后期' }),
        },
      },
    ),
    NOW,
  )
  assert.deepEqual(view.afterSales, [
    {
      id: 'aa',
      reason: '原因 aa',
      state: 'REJECTED',
      createdAt: new Date(NOW - 5_000).toISOString(),
      decidedAt: new Date(NOW - 2_000).toISOString(),
      reply: '已超过售后期',
    },
    { id: 'bb', reason: '原因 bb', state: 'PENDING', createdAt: new Date(NOW - 5_000).toISOString(), decidedAt: null, reply: null },
    { id: 'zz', reason: '原因 zz', state: 'PENDING', createdAt: new Date(NOW - 1_000).toISOString(), decidedAt: null, reply: null },
  ])
})

test('actions: pay while the payment can still be made; cancel while unpaid (expired too: the gateway closes it)', () => {
  assert.deepEqual(actions(order()), { ...none, pay: true, cancel: true })
  assert.deepEqual(actions(order({ status: 'PAYERROR' })), { ...none, pay: true, cancel: true })
  assert.deepEqual(actions(order({ payment: undefined })), { ...none, cancel: true })
  assert.deepEqual(actions(order({ expireAt: new Date(NOW) })), { ...none, cancel: true })
  assert.deepEqual(actions(order({ status: 'CLOSED' })), none)
  assert.deepEqual(actions(order({ status: 'CLOSED', latePayment: { transactionId: 't', totalFee: fen(3980) } })), none)
})

test('actions: a paid order not yet shipped can be cancelled for a refund while something is left to refund', () => {
  assert.deepEqual(actions(paid({ state: 'PENDING' })), { ...none, refund: true })
  assert.deepEqual(actions(paid({ state: 'PENDING' }, { refundReservedFee: fen(3979) })), { ...none, refund: true })
  assert.deepEqual(actions(paid({ state: 'PENDING' }, { refundReservedFee: fen(3980) })), none, 'all of it is being refunded already')
  assert.deepEqual(actions(paid({ state: 'PENDING' }, { status: 'REFUND', refundReservedFee: fen(3980), refundedFee: fen(3980) })), none)
  assert.deepEqual(actions(paid(undefined)), none, 'paid before fulfilment existed')
  assert.deepEqual(actions(paid({ state: 'CANCELLED' }, { refundReservedFee: fen(3980) })), none)
  assert.deepEqual(actions(paid({ state: 'CANCELLED' })), none, 'cancelled, refund not yet reserved: nothing more to do for the shopper')
})

test('actions: a shipped order can be confirmed received and taken to after-sale', () => {
  assert.deepEqual(actions(paid({ state: 'SHIPPED' })), { ...none, afterSale: true, confirmReceipt: true })
  assert.deepEqual(actions(paid({ state: 'RECEIVED' })), { ...none, afterSale: true })
})

test('actions: after-sale needs something left to refund and no request pending', () => {
  assert.deepEqual(actions(paid({ state: 'RECEIVED' }, { refundReservedFee: fen(3979) })), { ...none, afterSale: true })
  assert.deepEqual(actions(paid({ state: 'RECEIVED' }, { refundReservedFee: fen(3980) })), none)
  assert.deepEqual(actions(paid({ state: 'SHIPPED' }, { status: 'REFUND', refundReservedFee: fen(3980), refundedFee: fen(3980) })), {
    ...none,
    confirmReceipt: true,
  })
  assert.deepEqual(actions(paid({ state: 'RECEIVED' }, { afterSales: { a1: afterSale('a1', NOW) } })), none)
  for (const state of ['APPROVED', 'REJECTED'] as const)
    assert.deepEqual(actions(paid({ state: 'RECEIVED' }, { afterSales: { a1: afterSale('a1', NOW, state) } })), { ...none, afterSale: true }, state)
})
