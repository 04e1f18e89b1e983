// The staff console (function `staff`) on the local cloud through the real wx-server-sdk: one
// gate for every action, the order list with search and totals, one order's full view with its
// timeline, and ship / refund / after-sale decisions that a retry — even 20 at once — makes once
// and records once in staff_audit.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { OrderView } from '../payment/contracts'
import type { StaffOrdersData, StaffOrderView } from '../payment/staffContracts'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { call, cloudPayEnv, data, DELIVERY_ADDRESS, paymentEvents, simPay, simRefunds, storedOrder, waitFor, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: `${STAFF},staff-2` } })
})
after(() => cloud.stop())

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)
const staff = <T = StaffOrderView>(event: Record<string, unknown>, who = STAFF) => call<T>(cloud, 'staff', event, who)
const audits = (requestId?: string) => cloud.engine.find('staff_audit', requestId === undefined ? {} : { _id: requestId }, { limit: 100_000 })

async function paidOrder(shopper: string, mobile = DELIVERY_ADDRESS.mobile): Promise<{ outTradeNo: string; totalFee: number }> {
  const made = data(
    await call<{ outTradeNo: string; totalFee: number }>(
      cloud,
      'createOrder',
      { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: { ...DELIVERY_ADDRESS, mobile } },
      shopper,
    ),
  )
  assert.equal((await simPay(cloud, made.outTradeNo)).body.firstAttempt?.acknowledged, true)
  return made
}

const shipEvent = (outTradeNo: string, requestId: string) => ({
  action: 'ship',
  outTradeNo,
  requestId,
  carrier: 'SF',
  trackingNo: `SF${outTradeNo.slice(-10)}`,
})

/** Every collection the staff function could touch, as stored. */
const snapshot = () => ({
  orders: cloud.engine.find('orders', {}, { limit: 100_000 }),
  audit: audits(),
  events: paymentEvents(cloud),
  refunds: cloud.engine.find('_sim_refunds', {}, { limit: 100_000 }),
})

describe('staff: the gate', () => {
  test('a shopper calling any action, with forged identity fields, gets FORBIDDEN and changes nothing', async () => {
    const order = await paidOrder('ann-1')
    const before = snapshot()
    const forged = { _openid: STAFF, openid: STAFF, caller: 'staff', OPENID: STAFF, userInfo: { openId: STAFF } }
    const events: Array<Record<string, unknown>> = [
      { action: 'orders' },
      { action: 'order', outTradeNo: order.outTradeNo },
      shipEvent(order.outTradeNo, 'gate-ship-0001'),
      { action: 'refund', outTradeNo: order.outTradeNo, requestId: 'gate-refund-01', reason: '缺货' },
      { action: 'afterSale', outTradeNo: order.outTradeNo, requestId: 'gate-decide-01', afterSaleId: 'as-req-000001', decision: 'approve' },
    ]
    for (const event of events)
      for (const who of ['ann-1', 'staff-10', 'STAFF-1']) {
        const result = await staff({ ...event, ...forged }, who)
        assert.equal(code(result), 'FORBIDDEN', `${String(event['action'])} by ${who}`)
        assert.equal(result.ok ? '' : result.error.message, '仅商家工作人员可以操作')
      }
    assert.deepEqual(snapshot(), before)
  })
})

describe('staff: orders and order', () => {
  test('search by mobile (exact) and order number, totals of the filtered range', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString()
    const a = await paidOrder('bob-1', '13700000001')
    const b = await paidOrder('bob-1', '13700000001')
    const c = await paidOrder('cat-1', '13700000002')
    const byPhone = data(await staff<StaffOrdersData>({ action: 'orders', search: '13700000001' }))
    assert.deepEqual(
      byPhone.items.map((o) => o.outTradeNo),
      [b.outTradeNo, a.outTradeNo].sort().reverse(),
    )
    assert.deepEqual(byPhone.totals, { orders: 2, paidFee: a.totalFee + b.totalFee, refundedFee: 0, capped: false })
    const byNo = data(await staff<StaffOrdersData>({ action: 'orders', search: c.outTradeNo }))
    assert.deepEqual(
      byNo.items.map((o) => [o.outTradeNo, o.mobile, o.status, o.fulfilment]),
      [[c.outTradeNo, '13700000002', 'SUCCESS', 'PENDING']],
    )
    // Totals of a date range, against what the database holds for it.
    const ranged = data(await staff<StaffOrdersData>({ action: 'orders', status: 'SUCCESS', from: startedAt, limit: 1 }))
    const expected = cloud.engine.find('orders', { status: 'SUCCESS', createdAt: { $gte: new Date(startedAt) } }, { limit: 100_000 })
    assert.equal(ranged.items.length, 1)
    assert.ok(ranged.nextCursor)
    assert.deepEqual(ranged.totals, {
      orders: expected.length,
      paidFee: expected.reduce((sum, o) => sum + Number(o['totalFee']), 0),
      refundedFee: 0,
      capped: false,
    })
    assert.ok(ranged.totals.orders >= 3)
    assert.equal(code(await staff({ action: 'orders', search: '137 0000 0001' })), 'INVALID_ARGUMENT')
  })

  test("one order's full view: address unmasked, and a timeline with the payment and the staff actions, oldest first", async () => {
    const order = await paidOrder('dan-1', '13700000003')
    data(await staff(shipEvent(order.outTradeNo, 'view-ship-0001')))
    data(await staff({ action: 'refund', outTradeNo: order.outTradeNo, requestId: 'view-refund-01', reason: '补偿运费', refundFee: 100 }))
    const v = data(await staff({ action: 'order', outTradeNo: order.outTradeNo }))
    assert.deepEqual(v.address, { ...DELIVERY_ADDRESS, mobile: '13700000003' })
    assert.equal(v.openid, 'dan-1')
    assert.deepEqual(
      v.refunds.map((r) => [r.outRefundNo, r.refundFee, r.reason]),
      [['Sview-refund-01', 100, '补偿运费']],
    )
    const kinds = v.timeline.map((e) => `${e.source}:${e.kind}`)
    const at = (kind: string) => kinds.indexOf(kind)
    assert.ok(at('payment:payment_notify:applied') > at('order:created'), kinds.join())
    assert.ok(at('staff:ship:ok') > at('payment:payment_notify:applied'), kinds.join())
    assert.ok(at('staff:refund:ok') > at('staff:ship:ok'), kinds.join())
    assert.ok(kinds.includes('payment:refund_request:applied'), kinds.join())
    const times = v.timeline.map((e) => Date.parse(e.at))
    assert.deepEqual(
      times,
      [...times].sort((x, y) => x - y),
    )
    assert.equal(code(await staff({ action: 'order', outTradeNo: '2026112800000000000000000000' })), 'ORDER_NOT_FOUND')
  })
})

describe('staff: actions, each once however often it is sent', () => {
  test('ship: 20 concurrent repeats ship once and record once; another request conflicts; a cancelled order is refused', async () => {
    const order = await paidOrder('eve-1')
    const results = await Promise.all(Array.from({ length: 20 }, () => staff(shipEvent(order.outTradeNo, 'race-ship-0001'))))
    for (const result of results) assert.equal(data(result).fulfilment?.state, 'SHIPPED')
    const stored = storedOrder(cloud, order.outTradeNo)
    assert.equal(stored?.['shipRequestId'], 'race-ship-0001')
    assert.equal((stored?.['fulfilment'] as { carrier: string }).carrier, 'SF')
    assert.equal(audits('race-ship-0001').length, 1)
    assert.equal(audits('race-ship-0001')[0]?.['staff'], STAFF)
    assert.equal(audits().filter((a) => a['outTradeNo'] === order.outTradeNo).length, 1)
    assert.equal(code(await staff(shipEvent(order.outTradeNo, 'race-ship-0002'))), 'ORDER_STATE_CONFLICT')

    const cancelled = await paidOrder('eve-1')
    data(await call<OrderView>(cloud, 'cancelOrder', { outTradeNo: cancelled.outTradeNo }, 'eve-1'))
    assert.equal(code(await staff(shipEvent(cancelled.outTradeNo, 'race-ship-0003'))), 'ORDER_STATE_CONFLICT')
    assert.equal((storedOrder(cloud, cancelled.outTradeNo)?.['fulfilment'] as { state: string }).state, 'CANCELLED')
  })

  test('refund: 20 concurrent repeats make one refund and one record', async () => {
    const order = await paidOrder('fay-1')
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        staff({ action: 'refund', outTradeNo: order.outTradeNo, requestId: 'race-refund-01', reason: '缺货' }, i % 2 ? STAFF : 'staff-2'),
      ),
    )
    for (const result of results)
      assert.deepEqual(
        data(result).refunds.map((r) => [r.outRefundNo, r.refundFee]),
        [['Srace-refund-01', order.totalFee]],
      )
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['refundReservedFee'], order.totalFee)
    await waitFor('the refund callback', () => storedOrder(cloud, order.outTradeNo)?.['status'] === 'REFUND')
    assert.equal(simRefunds(cloud, order.outTradeNo).length, 1)
    assert.equal(audits('race-refund-01').length, 1)
  })

  test('afterSale: 20 concurrent approvals refund once, APPROVED and no longer pending; a rejection carries its reply', async () => {
    const order = await paidOrder('gus-1')
    data(await staff(shipEvent(order.outTradeNo, 'as-ship-00001')))
    data(
      await call<OrderView>(
        cloud,
        'orderAction',
        { action: 'afterSale', outTradeNo: order.outTradeNo, reason: '杯子有裂纹', requestId: 'as-req-000001' },
        'gus-1',
      ),
    )
    const approve = {
      action: 'afterSale',
      outTradeNo: order.outTradeNo,
      requestId: 'race-decide-01',
      afterSaleId: 'as-req-000001',
      decision: 'approve',
      refundFee: 500,
    }
    const results = await Promise.all(Array.from({ length: 20 }, () => staff(approve)))
    for (const result of results) assert.equal(data(result).afterSales[0]?.state, 'APPROVED')
    const stored = storedOrder(cloud, order.outTradeNo) as Record<string, unknown> & { afterSales: Record<string, { state: string; decidedAt?: unknown }> }
    assert.equal(stored['afterSalePending'], false)
    assert.equal(stored.afterSales['as-req-000001']?.state, 'APPROVED')
    assert.ok(stored.afterSales['as-req-000001']?.decidedAt)
    assert.equal(stored['refundReservedFee'], 500)
    await waitFor('the refund', () => simRefunds(cloud, order.outTradeNo).length === 1 && storedOrder(cloud, order.outTradeNo)?.['refundedFee'] === 500)
    assert.equal(audits('race-decide-01').length, 1)
    assert.equal(code(await staff({ ...approve, requestId: 'race-decide-02', decision: 'reject', reply: '不同意' })), 'ORDER_STATE_CONFLICT')

    // The shopper may ask again; this time staff reject it, and the shopper reads the reply.
    data(
      await call<OrderView>(
        cloud,
        'orderAction',
        { action: 'afterSale', outTradeNo: order.outTradeNo, reason: '还是有问题', requestId: 'as-req-000002' },
        'gus-1',
      ),
    )
    data(
      await staff({
        action: 'afterSale',
        outTradeNo: order.outTradeNo,
        requestId: 'race-decide-03',
        afterSaleId: 'as-req-000002',
        decision: 'reject',
        reply: '请寄回检测',
      }),
    )
    const seen = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo: order.outTradeNo }, 'gus-1'))
    assert.deepEqual(
      seen.afterSales.map((a) => [a.id, a.state, a.reply]),
      [
        ['as-req-000001', 'APPROVED', null],
        ['as-req-000002', 'REJECTED', '请寄回检测'],
      ],
    )
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['afterSalePending'], false)
    assert.equal(simRefunds(cloud, order.outTradeNo).length, 1)
  })
})
