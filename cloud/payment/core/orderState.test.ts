import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  canTransition,
  INITIAL_STATUS,
  isClosedUnpaid,
  isOrderStatus,
  isPaid,
  isPayable,
  isTradeState,
  ORDER_STATUSES,
  sourcesOf,
  statusForTradeState,
  TRADE_STATE_DESCRIPTIONS,
  TRADE_STATES,
  TRANSITIONS,
  type OrderStatus,
} from './orderState'

// The specification, written out: every rule below is derived from the table in orderState.ts.
const ALLOWED = ['NOTPAY→SUCCESS', 'NOTPAY→CLOSED', 'NOTPAY→PAYERROR', 'PAYERROR→SUCCESS', 'PAYERROR→CLOSED', 'SUCCESS→REFUND']

test('the table holds exactly the designed transitions, and nothing leaves REFUND or CLOSED', () => {
  assert.deepEqual(TRANSITIONS, { NOTPAY: ['SUCCESS', 'CLOSED', 'PAYERROR'], PAYERROR: ['SUCCESS', 'CLOSED'], SUCCESS: ['REFUND'], REFUND: [], CLOSED: [] })
  for (const from of ORDER_STATUSES) for (const to of ORDER_STATUSES) assert.equal(canTransition(from, to), ALLOWED.includes(`${from}→${to}`), `${from}→${to}`)
})

test('the source statuses of each update come from the table', () => {
  const expected: Record<OrderStatus, OrderStatus[]> = {
    NOTPAY: [],
    SUCCESS: ['NOTPAY', 'PAYERROR'],
    REFUND: ['SUCCESS'],
    CLOSED: ['NOTPAY', 'PAYERROR'],
    PAYERROR: ['NOTPAY'],
  }
  for (const to of ORDER_STATUSES) assert.deepEqual([...sourcesOf(to)].sort(), expected[to].sort(), to)
})

test('payable, paid and closed-unpaid statuses', () => {
  const of = (predicate: (s: OrderStatus) => boolean): OrderStatus[] => ORDER_STATUSES.filter(predicate)
  assert.deepEqual(of(isPayable), ['NOTPAY', 'PAYERROR'])
  assert.deepEqual(of(isPaid), ['SUCCESS', 'REFUND'])
  assert.deepEqual(of(isClosedUnpaid), ['CLOSED'])
  assert.equal(INITIAL_STATUS, 'NOTPAY')
})

test('every gateway trade state maps to the status it means, or to none yet', () => {
  assert.deepEqual([...TRADE_STATES], ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'])
  const mapped = Object.fromEntries(TRADE_STATES.map((state) => [state, statusForTradeState(state)]))
  assert.deepEqual(mapped, {
    SUCCESS: 'SUCCESS',
    REFUND: 'REFUND',
    NOTPAY: undefined,
    CLOSED: 'CLOSED',
    REVOKED: 'CLOSED',
    USERPAYING: undefined,
    PAYERROR: 'PAYERROR',
  })
})

test('each status has its words for the shopper', () => {
  assert.deepEqual(TRADE_STATE_DESCRIPTIONS, { NOTPAY: '待支付', SUCCESS: '支付成功', REFUND: '已退款', CLOSED: '已关闭', PAYERROR: '支付失败' })
})

test('trade states and order statuses are recognised exactly', () => {
  for (const state of TRADE_STATES) assert.equal(isTradeState(state), true, state)
  for (const status of ORDER_STATUSES) assert.equal(isOrderStatus(status), true, status)
  for (const bad of ['', 'success', 'ACCEPT', 'toString', 1, null, undefined, ['SUCCESS'], { SUCCESS: 1 }]) {
    assert.equal(isTradeState(bad), false, String(bad))
    assert.equal(isOrderStatus(bad), false, String(bad))
  }
  assert.equal(isOrderStatus('REVOKED'), false)
  assert.equal(isOrderStatus('USERPAYING'), false)
})
