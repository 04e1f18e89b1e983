// The tabs of My orders through queryOrder on the local cloud: each a database filter with the
// same keyset paging (newest first), over orders brought to each state the way they get there;
// a second shopper sees none of the first one's orders in any tab.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { ORDER_TABS, type OrderListData, type OrderTab, type OrderView } from '../payment/contracts'
import { isInAfterSale } from '../payment/core/orderTabs'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { ordersOf, shipOrder } from '../local/testing/fulfilment'
import { backdate, call, cloudPayEnv, data, placeOrder, simPay, storedOrder, waitFor, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
const HOUR = 3_600_000
let cloud: TestCloud
/** Each order made, with the tabs it must show in (ALL besides). */
const made = new Map<string, { shopper: string; tabs: OrderTab[] }>()

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)

async function order(shopper: string, tabs: OrderTab[], steps: Array<(outTradeNo: string) => Promise<unknown>> = []): Promise<string> {
  const { outTradeNo } = await placeOrder(cloud, shopper, [{ goodsId: 'goods-oats', quantity: 1 }])
  for (const step of steps) await step(outTradeNo)
  made.set(outTradeNo, { shopper, tabs: ['ALL', ...tabs] })
  return outTradeNo
}

const pay = async (outTradeNo: string) => assert.equal((await simPay(cloud, outTradeNo)).body.firstAttempt?.acknowledged, true)
const ship = (outTradeNo: string) => shipOrder(cloud, outTradeNo, { carrier: '韵达快递', trackingNo: `YD${outTradeNo.slice(-8)}` })
const expire = (outTradeNo: string) => backdate(cloud, outTradeNo, 3 * HOUR, HOUR)
const as = (shopper: string) => ({
  cancel: async (outTradeNo: string) => data(await call(cloud, 'cancelOrder', { outTradeNo }, shopper)),
  receive: async (outTradeNo: string) => data(await call(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo }, shopper)),
  afterSale: async (outTradeNo: string) =>
    data(await call(cloud, 'orderAction', { action: 'afterSale', outTradeNo, reason: '燕麦受潮了', requestId: `as-${outTradeNo.slice(-10)}` }, shopper)),
})
const staffRefund = async (outTradeNo: string) =>
  data(await call(cloud, 'refundOrder', { outTradeNo, refundFee: 100, outRefundNo: `RF-${outTradeNo.slice(-10)}` }, STAFF))
const refundSettled = (outTradeNo: string) =>
  waitFor(`${outTradeNo} refund settled`, () => (Number(storedOrder(cloud, outTradeNo)?.['refundsPending']) === 0 ? true : undefined), 8000)

before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
  for (const shopper of ['tab-shopper-1', 'tab-shopper-2']) {
    const { cancel, receive, afterSale } = as(shopper)
    await order(shopper, ['UNPAID'])
    await order(shopper, ['UNPAID'])
    await order(shopper, [], [expire])
    await order(shopper, ['TO_SHIP'], [pay])
    await order(shopper, ['TO_SHIP'], [pay])
    await order(shopper, ['TO_SHIP', 'AFTER_SALE'], [pay, staffRefund, refundSettled])
    await order(shopper, ['TO_RECEIVE'], [pay, ship])
    await order(shopper, ['TO_RECEIVE', 'AFTER_SALE'], [pay, ship, afterSale])
    await order(shopper, [], [pay, ship, receive])
    await order(shopper, ['AFTER_SALE'], [pay, ship, receive, afterSale])
    await order(shopper, ['AFTER_SALE'], [pay, cancel, refundSettled])
  }
})
after(() => cloud.stop())

/** Every page of a tab, `limit` at a time, following nextCursor. */
async function walk(shopper: string, tab: OrderTab | undefined, limit: number): Promise<OrderView[]> {
  const all: OrderView[] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 50; pages++) {
    const event: Record<string, unknown> = { limit, ...(tab ? { tab } : {}), ...(cursor ? { cursor } : {}) }
    const page: OrderListData = data(await call<OrderListData>(cloud, 'queryOrder', event, shopper))
    assert.ok(page.items.length <= limit)
    all.push(...page.items)
    cursor = page.nextCursor
    if (!cursor) return all
  }
  throw new Error('paging never ended')
}

const expected = (shopper: string, tab: OrderTab): string[] =>
  [...made]
    .filter(([, o]) => o.shopper === shopper && o.tabs.includes(tab))
    .map(([no]) => no)
    .sort()
    .reverse()

test('each tab holds exactly its orders, newest first, page after page', async () => {
  for (const shopper of ['tab-shopper-1', 'tab-shopper-2'])
    for (const tab of ORDER_TABS)
      for (const limit of [1, 2, 50]) {
        const listed = await walk(shopper, tab, limit)
        assert.deepEqual(
          listed.map((o) => o.outTradeNo),
          expected(shopper, tab),
          `${shopper} ${tab} by ${limit}`,
        )
      }
})

test('no tab is ALL; each order’s actions agree with its tab', async () => {
  assert.deepEqual(
    (await walk('tab-shopper-1', undefined, 50)).map((o) => o.outTradeNo),
    expected('tab-shopper-1', 'ALL'),
  )
  for (const view of await walk('tab-shopper-1', 'UNPAID', 50)) assert.deepEqual([view.actions.pay, view.actions.cancel], [true, true])
  for (const view of await walk('tab-shopper-1', 'TO_SHIP', 50)) assert.equal(view.actions.refund, true)
  for (const view of await walk('tab-shopper-1', 'TO_RECEIVE', 50)) assert.equal(view.actions.confirmReceipt, true)
})

test('the stored after-sale mark says what the rule says, for every order', async () => {
  const orders = ordersOf(cloud)
  for (const outTradeNo of made.keys()) {
    const record = await orders.get(outTradeNo)
    assert.ok(record)
    assert.equal(storedOrder(cloud, outTradeNo)?.['inAfterSale'] === true, isInAfterSale(record), outTradeNo)
  }
})

test('a second shopper sees none of the first one’s orders, in any tab, and can act on none of them', async () => {
  for (const tab of ORDER_TABS) {
    const theirs = (await walk('tab-shopper-2', tab, 50)).map((o) => o.outTradeNo)
    assert.ok(
      theirs.every((no) => made.get(no)?.shopper === 'tab-shopper-2'),
      tab,
    )
  }
  assert.deepEqual(await walk('tab-nobody', 'AFTER_SALE', 10), [])
  const [first] = expected('tab-shopper-1', 'TO_RECEIVE')
  assert.ok(first)
  const before = storedOrder(cloud, first)
  for (const [name, event] of [
    ['queryOrder', { outTradeNo: first }],
    ['cancelOrder', { outTradeNo: first }],
    ['orderAction', { action: 'confirmReceipt', outTradeNo: first }],
    ['orderAction', { action: 'afterSale', outTradeNo: first, reason: '不是我的', requestId: 'as-intruder-01' }],
  ] as const)
    assert.equal(code(await call(cloud, name, event, 'tab-shopper-2')), 'ORDER_NOT_FOUND', name)
  assert.deepEqual(storedOrder(cloud, first), before)
})

test('an unknown tab is INVALID_ARGUMENT', async () => {
  for (const tab of ['all', 'REFUNDS', 7, { $ne: 'ALL' }]) assert.equal(code(await call(cloud, 'queryOrder', { tab }, 'tab-shopper-1')), 'INVALID_ARGUMENT')
})
