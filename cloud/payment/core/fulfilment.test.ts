import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fen } from './money'
import {
  AUTO_RECEIVE_DAYS,
  AUTO_RECEIVE_MS,
  autoReceiveCutoff,
  canFulfil,
  cancelPaidRefusal,
  CANCELLED_NO_RECEIPT,
  FULFILMENT_STATES,
  FULFILMENT_TRANSITIONS,
  fulfilmentSourcesOf,
  INITIAL_FULFILMENT,
  isFulfilmentState,
  NOT_YET_SHIPPED,
  orderStatusesFor,
  PAID_NO_FULFILMENT,
  receiptRefusal,
  REFUNDED,
  REFUNDING,
  SHIPPED_NO_CANCEL,
  type FulfilmentState,
} from './fulfilment'
import { ORDER_STATUSES, type OrderStatus } from './orderState'
import { assertShopperWords } from '../testing/shopperWords'

// The specification, written out: every rule below is derived from the table in fulfilment.ts.
const ALLOWED = ['PENDING→SHIPPED', 'PENDING→CANCELLED', 'SHIPPED→RECEIVED']

test('the table holds exactly the designed changes, and nothing leaves RECEIVED or CANCELLED', () => {
  assert.deepEqual(FULFILMENT_STATES, ['PENDING', 'SHIPPED', 'RECEIVED', 'CANCELLED'])
  assert.deepEqual(FULFILMENT_TRANSITIONS, { PENDING: ['SHIPPED', 'CANCELLED'], SHIPPED: ['RECEIVED'], RECEIVED: [], CANCELLED: [] })
  for (const from of FULFILMENT_STATES)
    for (const to of FULFILMENT_STATES) assert.equal(canFulfil(from, to), ALLOWED.includes(`${from}→${to}`), `${from}→${to}`)
})

test('the source states of each update come from the table: a ship and a cancel both need PENDING', () => {
  const expected: Record<FulfilmentState, FulfilmentState[]> = { PENDING: [], SHIPPED: ['PENDING'], RECEIVED: ['SHIPPED'], CANCELLED: ['PENDING'] }
  for (const to of FULFILMENT_STATES) assert.deepEqual([...fulfilmentSourcesOf(to)], expected[to], to)
  assert.equal(INITIAL_FULFILMENT, 'PENDING')
})

test('the order statuses each change needs: ship and cancel only SUCCESS, receive SUCCESS or REFUND', () => {
  const expected: Record<FulfilmentState, OrderStatus[]> = { PENDING: [], SHIPPED: ['SUCCESS'], CANCELLED: ['SUCCESS'], RECEIVED: ['SUCCESS', 'REFUND'] }
  for (const to of FULFILMENT_STATES) assert.deepEqual([...orderStatusesFor(to)], expected[to], to)
  for (const to of FULFILMENT_STATES) for (const status of orderStatusesFor(to)) assert.ok(ORDER_STATUSES.includes(status))
})

test('auto-receive: shipped at or before ten days ago', () => {
  assert.equal(AUTO_RECEIVE_DAYS, 10)
  assert.equal(AUTO_RECEIVE_MS, 864_000_000)
  const now = Date.UTC(2026, 10, 28, 2, 0, 0)
  assert.deepEqual(autoReceiveCutoff(now), new Date(Date.UTC(2026, 10, 18, 2, 0, 0)))
})

test('isFulfilmentState accepts exactly the four states', () => {
  for (const state of FULFILMENT_STATES) assert.equal(isFulfilmentState(state), true)
  for (const other of ['pending', 'SUCCESS', '', undefined, null, 1, ['PENDING']]) assert.equal(isFulfilmentState(other), false, String(other))
})

const order = (status: OrderStatus, state: FulfilmentState | undefined, refundReservedFee = 0) => ({
  status,
  totalFee: fen(1000),
  refundReservedFee: fen(refundReservedFee),
  ...(state ? { fulfilment: { state } } : {}),
})

test('a paid order can be cancelled for a refund only while SUCCESS, not shipped, and something is left to refund', () => {
  assert.equal(cancelPaidRefusal(order('SUCCESS', 'PENDING')), null)
  assert.equal(cancelPaidRefusal(order('SUCCESS', 'PENDING', 999)), null)
  assert.equal(cancelPaidRefusal(order('SUCCESS', 'PENDING', 1000)), REFUNDING)
  assert.equal(cancelPaidRefusal(order('SUCCESS', 'SHIPPED')), SHIPPED_NO_CANCEL)
  assert.equal(cancelPaidRefusal(order('SUCCESS', 'RECEIVED')), SHIPPED_NO_CANCEL)
  assert.equal(cancelPaidRefusal(order('REFUND', 'SHIPPED', 1000)), SHIPPED_NO_CANCEL)
  assert.equal(cancelPaidRefusal(order('REFUND', 'PENDING', 1000)), REFUNDED)
  assert.equal(cancelPaidRefusal(order('SUCCESS', undefined)), PAID_NO_FULFILMENT)
  assert.equal(cancelPaidRefusal(order('SUCCESS', 'CANCELLED')), PAID_NO_FULFILMENT)
  for (const status of ['NOTPAY', 'PAYERROR', 'CLOSED'] as const) assert.notEqual(cancelPaidRefusal(order(status, undefined)), null, status)
  for (const words of [SHIPPED_NO_CANCEL, REFUNDING, REFUNDED, PAID_NO_FULFILMENT]) assertShopperWords(words)
  assert.match(SHIPPED_NO_CANCEL, /申请售后/)
})

test('receipt can be confirmed while shipped (again once received); otherwise the shopper is told why', () => {
  assert.equal(receiptRefusal('SHIPPED'), null)
  assert.equal(receiptRefusal('RECEIVED'), null)
  assert.equal(receiptRefusal('PENDING'), NOT_YET_SHIPPED)
  assert.equal(receiptRefusal(undefined), NOT_YET_SHIPPED)
  assert.equal(receiptRefusal('CANCELLED'), CANCELLED_NO_RECEIPT)
  for (const words of [NOT_YET_SHIPPED, CANCELLED_NO_RECEIPT]) assertShopperWords(words)
})
