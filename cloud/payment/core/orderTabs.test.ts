import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AppError } from '../errors'
import { assertShopperWords } from '../testing/shopperWords'
import type { AfterSaleState } from './afterSale'
import type { FulfilmentState } from './fulfilment'
import { isInAfterSale, matchesFilter, ORDER_TABS, parseOrderTab, tabFilter, type OrderTab } from './orderTabs'
import type { OrderStatus } from './orderState'

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0)

type Shape = { status: OrderStatus; expiresIn?: number; fulfilment?: FulfilmentState; refunds?: number; afterSales?: AfterSaleState[] }
const order = ({ status, expiresIn = 60_000, fulfilment, refunds = 0, afterSales = [] }: Shape) => ({
  status,
  expireAt: new Date(NOW + expiresIn),
  refunds: Object.fromEntries(Array.from({ length: refunds }, (_, i) => [`R${i}`, {}])),
  ...(fulfilment ? { fulfilment: { state: fulfilment } } : {}),
  afterSales: Object.fromEntries(afterSales.map((state, i) => [`A${i}`, { state }])),
})

// The specification, written out: which tabs each kind of order shows in.
const CASES: Array<[string, Shape, OrderTab[]]> = [
  ['unpaid', { status: 'NOTPAY' }, ['ALL', 'UNPAID']],
  ['failed attempt, still payable', { status: 'PAYERROR' }, ['ALL', 'UNPAID']],
  ['unpaid, expired this instant', { status: 'NOTPAY', expiresIn: 0 }, ['ALL']],
  ['unpaid, expired', { status: 'PAYERROR', expiresIn: -1 }, ['ALL']],
  ['closed', { status: 'CLOSED', expiresIn: -1 }, ['ALL']],
  ['closed, paid late and refunded', { status: 'CLOSED', expiresIn: -1, refunds: 1 }, ['ALL', 'AFTER_SALE']],
  ['paid, to ship', { status: 'SUCCESS', fulfilment: 'PENDING' }, ['ALL', 'TO_SHIP']],
  ['paid before fulfilment existed', { status: 'SUCCESS' }, ['ALL']],
  ['paid, partly refunded by staff, to ship', { status: 'SUCCESS', fulfilment: 'PENDING', refunds: 1 }, ['ALL', 'TO_SHIP', 'AFTER_SALE']],
  ['refunded in full before shipping', { status: 'REFUND', fulfilment: 'PENDING' }, ['ALL', 'AFTER_SALE']],
  ['cancelled before shipping, refund not yet asked', { status: 'SUCCESS', fulfilment: 'CANCELLED' }, ['ALL', 'AFTER_SALE']],
  ['shipped', { status: 'SUCCESS', fulfilment: 'SHIPPED' }, ['ALL', 'TO_RECEIVE']],
  ['shipped, after-sale asked', { status: 'SUCCESS', fulfilment: 'SHIPPED', afterSales: ['PENDING'] }, ['ALL', 'TO_RECEIVE', 'AFTER_SALE']],
  ['received', { status: 'SUCCESS', fulfilment: 'RECEIVED' }, ['ALL']],
  ['received, after-sale rejected', { status: 'SUCCESS', fulfilment: 'RECEIVED', afterSales: ['REJECTED'] }, ['ALL', 'AFTER_SALE']],
]

test('each tab holds exactly its orders', () => {
  assert.deepEqual(ORDER_TABS, ['ALL', 'UNPAID', 'TO_SHIP', 'TO_RECEIVE', 'AFTER_SALE'])
  for (const [what, shape, tabs] of CASES)
    for (const tab of ORDER_TABS) assert.equal(matchesFilter(order(shape), tabFilter(tab, NOW)), tabs.includes(tab), `${what} in ${tab}`)
})

test('the filters as a database query says them', () => {
  assert.deepEqual(tabFilter('ALL', NOW), {})
  assert.deepEqual(tabFilter('UNPAID', NOW), { statuses: ['NOTPAY', 'PAYERROR'], expiresAfter: new Date(NOW) })
  assert.deepEqual(tabFilter('TO_SHIP', NOW), { statuses: ['SUCCESS'], fulfilment: 'PENDING' })
  assert.deepEqual(tabFilter('TO_RECEIVE', NOW), { fulfilment: 'SHIPPED' })
  assert.deepEqual(tabFilter('AFTER_SALE', NOW), { inAfterSale: true })
})

test('in after-sale: refunded, any refund, cancelled after payment, or any request', () => {
  assert.equal(isInAfterSale(order({ status: 'SUCCESS', fulfilment: 'RECEIVED' })), false)
  assert.equal(isInAfterSale(order({ status: 'REFUND' })), true)
  assert.equal(isInAfterSale(order({ status: 'SUCCESS', refunds: 1 })), true)
  assert.equal(isInAfterSale(order({ status: 'SUCCESS', fulfilment: 'CANCELLED' })), true)
  assert.equal(isInAfterSale(order({ status: 'SUCCESS', fulfilment: 'SHIPPED', afterSales: ['APPROVED'] })), true)
})

test('tab: absent is ALL; anything else not a tab is refused in shopper words', () => {
  assert.equal(parseOrderTab(undefined), 'ALL')
  assert.equal(parseOrderTab(null), 'ALL')
  for (const tab of ORDER_TABS) assert.equal(parseOrderTab(tab), tab)
  for (const bad of ['', 'all', 'REFUND', 'TO_SHIP ', 1, ['ALL'], { $ne: 'ALL' }]) {
    assert.throws(
      () => parseOrderTab(bad),
      (error: unknown) => {
        assert.ok(error instanceof AppError)
        assert.equal(error.code, 'INVALID_ARGUMENT')
        assertShopperWords(error.message)
        assert.equal(error.detail, 'tab must be one of ALL, UNPAID, TO_SHIP, TO_RECEIVE, AFTER_SALE')
        return true
      },
      JSON.stringify(bad),
    )
  }
})
