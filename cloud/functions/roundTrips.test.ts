// The database round trips of one paid order, as the app makes it (a dated requestId), counted
// by the local cloud's per-action counters around each function: createOrder ≤ 2 (the goods, the
// insert), payNotify ≤ 2 (the conditional update, the event), queryOrder 1. A query added to any
// of them fails here. Then the dated path on the real functions: attempts at once make one order,
// and a prepay whose answer was lost is stored by the retry.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { call, cloudPayEnv, data, DELIVERY_ADDRESS, merchantEnv, paymentEvents, simPay, storedOrder, type OrderView } from '../local/testing/shop'

const ITEMS = [{ goodsId: 'goods-coffee', quantity: 1 }]

/** Every database request the functions made so far (the emulator counts them per action). */
async function databaseRequests(cloud: TestCloud): Promise<number> {
  const health = (await (await fetch(`${cloud.url}/healthz`)).json()) as { databaseRequests: Record<string, number> }
  return Object.values(health.databaseRequests).reduce((a, b) => a + b, 0)
}

async function counted<T>(cloud: TestCloud, step: () => Promise<T>): Promise<{ result: T; trips: number }> {
  const before = await databaseRequests(cloud)
  const result = await step()
  return { result, trips: (await databaseRequests(cloud)) - before }
}

/** The app's request id: its clock in base36 ms, a dash, random letters. */
const appRequestId = (tail: string): string => `${Date.now().toString(36)}-${tail}`

for (const [mode, env] of [
  ['cloudpay', cloudPayEnv],
  ['merchant', merchantEnv],
] as const) {
  describe(`${mode}: database round trips of one paid order`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await startTestCloud({ functionEnv: env() })
      // Warm every function once, so that nothing a first load does is counted below.
      const warm = data(await call<{ outTradeNo: string }>(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS }, 'warm-up'))
      await simPay(cloud, warm.outTradeNo)
      await call(cloud, 'queryOrder', { outTradeNo: warm.outTradeNo }, 'warm-up')
    })
    after(() => cloud.stop())

    test('createOrder ≤ 2, payNotify ≤ 2, queryOrder 1 — 5 in all, with a requestId', async () => {
      const shopper = `trips-${mode}`
      const created = await counted(cloud, () =>
        call<{ outTradeNo: string }>(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS, requestId: appRequestId('trips0001') }, shopper),
      )
      const { outTradeNo } = data(created.result)
      const paid = await counted(cloud, () => simPay(cloud, outTradeNo))
      assert.equal(paid.result.body.firstAttempt?.acknowledged, true)
      const queried = await counted(cloud, () => call<OrderView>(cloud, 'queryOrder', { outTradeNo }, shopper))
      assert.equal(data(queried.result).status, 'SUCCESS')
      assert.deepEqual({ createOrder: created.trips, payNotify: paid.trips, queryOrder: queried.trips }, { createOrder: 2, payNotify: 2, queryOrder: 1 })
      assert.equal(cloud.engine.count('order_requests', {}), 0, 'no claim written')
      assert.deepEqual(
        paymentEvents(cloud, outTradeNo).map((e) => [e['decision'], e['transition']]),
        [['applied', { from: 'NOTPAY', to: 'SUCCESS' }]],
      )
    })

    test('a payment refused for its amount costs the read that tells why, and pays nothing', async () => {
      const shopper = `trips-amount-${mode}`
      const { outTradeNo } = data(await call<{ outTradeNo: string }>(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS }, shopper))
      const stored = storedOrder(cloud, outTradeNo)
      // The shop's own order now says another amount than the trade at the gateway.
      await cloud.engine.update('orders', { _id: outTradeNo }, { $set: { totalFee: Number(stored?.['totalFee']) + 1 } }, false).written
      const paid = await counted(cloud, () => simPay(cloud, outTradeNo))
      assert.equal(paid.trips, 3)
      assert.equal(storedOrder(cloud, outTradeNo)?.['status'], 'NOTPAY')
      const [event] = paymentEvents(cloud, outTradeNo)
      assert.equal(event?.['decision'], 'rejected')
      assert.match(String(event?.['reason']), /^amount mismatch: paid \d+ fen, order is \d+ fen$/)
    })
  })
}

describe('cloudpay: a dated requestId on the real functions', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud({ functionEnv: cloudPayEnv() })
  })
  after(() => cloud.stop())

  test('attempts at once make one order, every attempt answers it, and it can be paid', async () => {
    const shopper = 'dated-burst'
    const requestId = appRequestId('burst00001')
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call<{ outTradeNo: string; payment: Record<string, string> }>(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS, requestId }, shopper),
      ),
    )
    const placed = answers.filter((a) => a.ok).map((a) => data(a))
    assert.ok(placed.length >= 1, JSON.stringify(answers))
    const outTradeNo = placed[0]?.outTradeNo ?? ''
    for (const answer of placed) assert.deepEqual(answer, placed[0])
    assert.equal(cloud.engine.count('orders', { _openid: shopper }), 1)
    assert.deepEqual(storedOrder(cloud, outTradeNo)?.['payment'], placed[0]?.payment)
    assert.equal((await simPay(cloud, outTradeNo)).body.firstAttempt?.acknowledged, true)
    assert.equal(data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo }, shopper)).status, 'SUCCESS')
  })

  test('a prepay whose answer was lost: the retry stores that prepay, and it is paid once', async () => {
    const shopper = 'dated-lost'
    const requestId = appRequestId('lost000001')
    cloud.faults.add({ gateway: [{ api: 'unifiedOrder', fault: 'lost_answer', mode: 'cloudpay' }] })
    const first = await call(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS, requestId }, shopper)
    assert.equal(first.ok, false)
    assert.equal(cloud.engine.count('orders', { _openid: shopper }), 0, 'nothing stored without its prepay')
    await new Promise((resolve) => setTimeout(resolve, 1100)) // a later second: only the app's time keeps time_expire the same
    const retried = data(await call<{ outTradeNo: string }>(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS, requestId }, shopper))
    assert.equal(cloud.engine.count('orders', { _openid: shopper }), 1)
    assert.equal((await simPay(cloud, retried.outTradeNo)).body.firstAttempt?.acknowledged, true)
    assert.equal(storedOrder(cloud, retried.outTradeNo)?.['status'], 'SUCCESS')
  })

  test('prepaid, then the insert fails: nothing is stored, and the retry stores the prepay the gateway holds', async () => {
    const shopper = 'dated-insert'
    const requestId = appRequestId('insert0001')
    cloud.faults.add({ db: [{ fault: 'error', action: 'database.insertDocument', collection: 'orders' }] })
    const first = await call(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS, requestId }, shopper)
    assert.equal(first.ok, false)
    assert.equal(cloud.engine.count('orders', { _openid: shopper }), 0, 'no order without its insert')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    // The gateway refuses the number to any other parameters: this retry succeeds only by repeating them exactly.
    const retried = data(await call<{ outTradeNo: string }>(cloud, 'createOrder', { items: ITEMS, address: DELIVERY_ADDRESS, requestId }, shopper))
    assert.equal(cloud.engine.count('orders', { _openid: shopper }), 1)
    assert.equal((await simPay(cloud, retried.outTradeNo)).body.firstAttempt?.acknowledged, true)
    assert.equal(storedOrder(cloud, retried.outTradeNo)?.['status'], 'SUCCESS')
  })
})
