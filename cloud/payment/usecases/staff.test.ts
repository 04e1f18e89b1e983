import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Fulfilment } from '../core/fulfilment'
import { fen } from '../core/money'
import { STAFF_TOTALS_SCAN_LIMIT, type StaffOrdersData, type StaffOrderView } from '../staffContracts'
import type { OrderRecord } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { storedOrder } from '../testing/memory'
import { STAFF_TEST_ADDRESS, STAFF_TEST_ORDER, staffWorld, type StaffWorld } from '../testing/staffConsoleMemory'
import { staffConsole } from './staff'
import { reconcile } from './reconcile'
import { afterSaleRefundNo, REQUEST_REUSED, SHIPPING_UPLOAD_LEASE_MS, staffRefundNo } from './staffActions'

const ORDER = STAFF_TEST_ORDER
const ADDRESS = STAFF_TEST_ADDRESS
type World = StaffWorld
const world = staffWorld

const stored = (w: World, no = ORDER): OrderRecord => {
  const doc = w.orders.docs.get(no)
  assert.ok(doc)
  return doc
}
const run = (w: World, event: Record<string, unknown>, who = 'staff-1') => staffConsole(w, who, event)
const view = async (w: World, event: Record<string, unknown>, who = 'staff-1') => (await run(w, event, who)) as StaffOrderView
const list = async (w: World, event: Record<string, unknown> = {}) => (await run(w, { action: 'orders', ...event })) as StaffOrdersData
const ship = (w: World, fields: Record<string, unknown> = {}) =>
  view(w, { action: 'ship', outTradeNo: ORDER, requestId: 'ship-req-0001', carrier: 'SF', trackingNo: 'SF1234567890', ...fields })
const shippedOrder = (): Partial<OrderRecord> => ({ fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1', shippedAt: new Date(0) } as Fulfilment })
const pendingRequest = (): Partial<OrderRecord> => ({
  ...shippedOrder(),
  afterSales: { 'as-req-0001': { id: 'as-req-0001', reason: '杯子有裂纹', state: 'PENDING', createdAt: new Date(Date.UTC(2026, 10, 28, 1)) } },
})

describe('staff: the gate', () => {
  const EVENTS: Array<Record<string, unknown>> = [
    { action: 'orders' },
    { action: 'order', outTradeNo: ORDER },
    { action: 'ship', outTradeNo: ORDER, requestId: 'ship-req-0001', carrier: 'SF', trackingNo: 'SF1234567890' },
    { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-01', reason: '缺货' },
    { action: 'afterSale', outTradeNo: ORDER, requestId: 'decide-req-01', afterSaleId: 'as-req-0001', decision: 'approve' },
  ]
  test('a shopper gets FORBIDDEN for every action, forged fields or not, and nothing is read or written', async () => {
    const w = world()
    const reads: string[] = []
    const get = w.orders.get.bind(w.orders)
    w.orders.get = async (no) => (reads.push(no), get(no))
    const before = structuredClone(stored(w))
    for (const event of EVENTS)
      for (const forged of [{}, { _openid: 'staff-1', caller: 'staff', openid: 'staff-1', admins: ['shopper-1'] }]) {
        await refusal(run(w, { ...event, ...forged }, 'shopper-1'), 'FORBIDDEN')
      }
    // Even a malformed event: the gate comes first.
    await refusal(staffConsole(w, 'shopper-1', null), 'FORBIDDEN')
    assert.deepEqual(reads, [])
    assert.deepEqual(w.orders.writes, [])
    assert.equal(w.audit.records.size, 0)
    assert.deepEqual(w.gateway.calls, [])
    assert.deepEqual(stored(w), before)
  })

  test('staff with an unknown action or a malformed event get INVALID_ARGUMENT', async () => {
    const w = world()
    await refusal(run(w, { action: 'delete' }), 'INVALID_ARGUMENT')
    await refusal(staffConsole(w, 'staff-1', []), 'INVALID_ARGUMENT')
    await refusal(run(w, { action: 'orders', $where: 1 }), 'INVALID_ARGUMENT')
  })
})

describe('staff: orders', () => {
  function many(): World {
    const w = world({ createdAt: new Date(Date.UTC(2026, 10, 20)) })
    for (let i = 0; i < 5; i++) {
      const no = `202611281000001234567890000${i}`
      w.orders.put(
        storedOrder(
          {
            outTradeNo: no,
            status: i % 2 ? 'SUCCESS' : 'NOTPAY',
            totalFee: fen(1000 + i),
            refundedFee: fen(i === 3 ? 500 : 0),
            address: { ...ADDRESS, mobile: `1380000000${i}` },
            createdAt: new Date(Date.UTC(2026, 10, 28, 0, i)),
          },
          w.clock,
        ),
      )
    }
    return w
  }

  test('newest first, keyset paged, with totals of the whole filter', async () => {
    const w = many()
    const first = await list(w, { limit: 4 })
    assert.deepEqual(
      first.items.map((o) => o.outTradeNo),
      [ORDER, '2026112810000012345678900004', '2026112810000012345678900003', '2026112810000012345678900002'],
    )
    assert.equal(first.nextCursor, '2026112810000012345678900002')
    const second = await list(w, { limit: 4, cursor: first.nextCursor })
    assert.deepEqual(
      second.items.map((o) => o.outTradeNo),
      ['2026112810000012345678900001', '2026112810000012345678900000'],
    )
    assert.equal(second.nextCursor, null)
    // Paid: ORDER (1990) + orders 1 and 3 (1001 + 1003); refunded: 500.
    assert.deepEqual(first.totals, { orders: 6, paidFee: 1990 + 1001 + 1003, refundedFee: 500, capped: false })
    assert.deepEqual(second.totals, first.totals)
    assert.equal(first.items[0]?.mobile, ADDRESS.mobile)
  })

  test('filters: status, fulfilment, date range; search by exact mobile or order number', async () => {
    const w = many()
    const paid = await list(w, { status: 'SUCCESS' })
    assert.deepEqual(paid.items.map((o) => o.outTradeNo).sort(), [ORDER, '2026112810000012345678900001', '2026112810000012345678900003'].sort())
    assert.deepEqual(paid.totals, { orders: 3, paidFee: 1990 + 1001 + 1003, refundedFee: 500, capped: false })
    assert.equal((await list(w, { fulfilment: 'SHIPPED' })).items.length, 0)
    assert.equal((await list(w, { fulfilment: 'PENDING' })).items.length, 3)
    const range = await list(w, { from: '2026-11-28T00:01:00Z', to: '2026-11-28T00:03:00Z' })
    assert.deepEqual(
      range.items.map((o) => o.outTradeNo),
      ['2026112810000012345678900002', '2026112810000012345678900001'],
    )
    assert.equal(range.totals.orders, 2)
    const byPhone = await list(w, { search: '13800000003' })
    assert.deepEqual(
      byPhone.items.map((o) => o.outTradeNo),
      ['2026112810000012345678900003'],
    )
    assert.equal((await list(w, { search: '1380000000' })).items.length, 0, 'ten digits is not a mobile') // an order number pattern, no such order
    const byNo = await list(w, { search: ORDER })
    assert.deepEqual(
      byNo.items.map((o) => o.outTradeNo),
      [ORDER],
    )
    assert.deepEqual(byNo.totals, { orders: 1, paidFee: 1990, refundedFee: 0, capped: false })
    for (const bad of [{ status: 'PAID' }, { fulfilment: 'LOST' }, { from: 'yesterday' }, { search: '13 8000' }, { cursor: '../x' }, { limit: 51 }])
      await refusal(list(w, bad), 'INVALID_ARGUMENT')
  })

  test('totals read at most the bound and say when there are more', async () => {
    const w = world()
    for (let i = 0; i < STAFF_TOTALS_SCAN_LIMIT; i++)
      w.orders.put(storedOrder({ outTradeNo: `20261127${String(i).padStart(20, '0')}`, status: 'SUCCESS', totalFee: fen(1) }, w.clock))
    const capped = await list(w, { limit: 1 })
    assert.deepEqual(capped.totals, { orders: STAFF_TOTALS_SCAN_LIMIT, paidFee: 1990 + STAFF_TOTALS_SCAN_LIMIT - 1, refundedFee: 0, capped: true })
    const under = await list(w, { limit: 1, status: 'SUCCESS', search: ORDER })
    assert.equal(under.totals.capped, false)
  })
})

describe('staff: order', () => {
  test('the full view: address unmasked, refunds with reasons, and a timeline of payment events and staff actions, oldest first', async () => {
    const w = world()
    await w.history.record({ kind: 'payment_notify', mode: 'cloudpay', source: 'test', outTradeNo: ORDER, decision: 'applied', reason: 'paid', raw: {} })
    w.clock.advance(60_000)
    await ship(w)
    w.clock.advance(60_000)
    await view(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-01', reason: '少发一件', refundFee: 500 })
    const v = await view(w, { action: 'order', outTradeNo: ORDER })
    assert.deepEqual(v.address, ADDRESS)
    assert.equal(v.fulfilment?.state, 'SHIPPED')
    assert.equal(v.fulfilment?.carrier, '顺丰速运', 'stored as SF, read by its name')
    assert.deepEqual(
      v.refunds.map((r) => [r.outRefundNo, r.refundFee, r.reason, r.requestedBy]),
      [[staffRefundNo('refund-req-01'), 500, '少发一件', 'staff-1']],
    )
    assert.equal(v.refundable, 1990 - 500)
    assert.deepEqual(
      v.timeline.map((e) => `${e.source}:${e.kind}`),
      ['order:created', 'payment:payment_notify:applied', 'staff:ship:ok', 'payment:refund_request:applied', 'staff:refund:ok'],
    )
    assert.match(v.timeline[2]?.detail ?? '', /顺丰速运 SF1234567890/)
    await refusal(view(w, { action: 'order', outTradeNo: '2026112800000000000000000000' }), 'ORDER_NOT_FOUND')
    await refusal(view(w, { action: 'order', outTradeNo: 'x' }), 'INVALID_ARGUMENT')
  })
})

describe('staff: ship', () => {
  test('PENDING → SHIPPED once; the same request again answers the same; recorded once', async (t) => {
    captureConsole(t)
    const w = world()
    const first = await ship(w)
    assert.equal(first.fulfilment?.state, 'SHIPPED')
    assert.equal(stored(w).shipRequestId, 'ship-req-0001')
    assert.deepEqual(stored(w).fulfilment, { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1234567890', shippedAt: new Date(w.clock.now()) })
    w.clock.advance(1000)
    const again = await ship(w)
    assert.deepEqual(again.fulfilment, first.fulfilment)
    assert.deepEqual(
      w.orders.writes.filter((x) => x.method === 'markShipped' && x.changed),
      [{ method: 'markShipped', outTradeNo: ORDER, changed: true }],
    )
    assert.equal(w.audit.records.size, 1)
    assert.deepEqual(w.audit.records.get('ship-req-0001'), {
      requestId: 'ship-req-0001',
      staff: 'staff-1',
      action: 'ship',
      outTradeNo: ORDER,
      input: { outTradeNo: ORDER, carrier: 'SF', trackingNo: 'SF1234567890' },
      outcome: 'ok',
      at: new Date(w.clock.now() - 1000),
    })
  })

  test('20 concurrent repeats: one shipment, one record', async (t) => {
    captureConsole(t)
    const w = world()
    const views = await Promise.all(Array.from({ length: 20 }, () => ship(w)))
    assert.ok(views.every((v) => v.fulfilment?.trackingNo === 'SF1234567890'))
    assert.equal(w.orders.writes.filter((x) => x.method === 'markShipped' && x.changed).length, 1)
    assert.equal(w.audit.records.size, 1)
  })

  test('another request on a shipped order, a cancelled or unpaid order: ORDER_STATE_CONFLICT, recorded as such', async (t) => {
    captureConsole(t)
    const w = world()
    await ship(w)
    await refusal(ship(w, { requestId: 'ship-req-0002', trackingNo: 'SF999999' }), 'ORDER_STATE_CONFLICT')
    assert.equal(w.audit.records.get('ship-req-0002')?.outcome, 'ORDER_STATE_CONFLICT')
    assert.equal(stored(w).fulfilment?.trackingNo, 'SF1234567890')
    const cancelled = world({ fulfilment: { state: 'CANCELLED', cancelledAt: new Date(0) } })
    await refusal(ship(cancelled), 'ORDER_STATE_CONFLICT')
    const unpaid = world({ status: 'NOTPAY' })
    await refusal(ship(unpaid), 'ORDER_STATE_CONFLICT')
    assert.equal(unpaid.orders.writes.filter((x) => x.changed).length, 0)
    await refusal(ship(world(), { outTradeNo: '2026112800000000000000000000' }), 'ORDER_NOT_FOUND')
  })

  test('without logistics; bad carriers, tracking numbers and reused request ids are refused before any change', async (t) => {
    captureConsole(t)
    const w = world()
    for (const bad of [
      { carrier: 'UPS' },
      { carrier: 'toString' },
      { trackingNo: 'a b' },
      { trackingNo: '' },
      { requestId: 'short' },
      { noLogistics: 'DRONE', carrier: undefined, trackingNo: undefined },
      { noLogistics: 'LOCAL' },
    ])
      await refusal(ship(w, bad), 'INVALID_ARGUMENT')
    assert.deepEqual(w.orders.writes, [])
    const v = await view(w, { action: 'ship', outTradeNo: ORDER, requestId: 'ship-req-0003', noLogistics: 'PICKUP' })
    assert.deepEqual([v.fulfilment?.state, v.fulfilment?.noLogistics, v.fulfilment?.trackingNo], ['SHIPPED', 'PICKUP', ''])
    const err = await refusal(ship(w, { requestId: 'ship-req-0003' }), 'INVALID_ARGUMENT')
    assert.equal(err.message, REQUEST_REUSED)
  })
})

describe('staff: refund', () => {
  test('full by default, through refundOrder under S + requestId; retries refund once and record once', async () => {
    const w = world()
    const views = await Promise.all(
      Array.from({ length: 20 }, () => view(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-01', reason: '缺货' })),
    )
    const no = staffRefundNo('refund-req-01')
    assert.ok(views.every((v) => v.refunds.length === 1 && v.refunds[0]?.outRefundNo === no && v.refunds[0].refundFee === 1990))
    assert.equal(w.orders.writes.filter((x) => x.method === 'reserveRefund' && x.changed).length, 1)
    assert.equal(stored(w).refundReservedFee, 1990)
    assert.equal(w.audit.records.size, 1)
    assert.deepEqual(w.audit.records.get('refund-req-01')?.input, { outTradeNo: ORDER, reason: '缺货' })
    // The gateway is idempotent on the number; every send names the same one.
    assert.ok(w.gateway.callsOf('refund').every(([r]) => (r as { outRefundNo: string }).outRefundNo === no))
  })

  test('partial; never more than is left; a reason is required', async () => {
    const w = world()
    const v = await view(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-01', reason: '少发', refundFee: 990 })
    assert.equal(v.refundReservedFee, 990)
    await refusal(run(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-02', reason: '再退', refundFee: 1001 }), 'REFUND_NOT_ALLOWED')
    assert.equal(w.audit.records.get('refund-req-02')?.outcome, 'REFUND_NOT_ALLOWED')
    await refusal(run(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-03' }), 'INVALID_ARGUMENT')
    await refusal(run(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-03', reason: '退', refundFee: 0 }), 'INVALID_ARGUMENT')
    await refusal(run(w, { action: 'refund', outTradeNo: ORDER, requestId: 'refund-req-01', reason: '少发', refundFee: 991 }), 'INVALID_ARGUMENT')
    assert.equal(stored(w).refundReservedFee, 990)
  })
})

describe('staff: afterSale', () => {
  const decide = (w: World, fields: Record<string, unknown> = {}) =>
    view(w, { action: 'afterSale', outTradeNo: ORDER, requestId: 'decide-req-01', afterSaleId: 'as-req-0001', decision: 'approve', ...fields })

  test('approve: APPROVED with decidedAt and a refund of everything refundable; 20 repeats make one refund', async (t) => {
    captureConsole(t)
    const w = world(pendingRequest())
    const views = await Promise.all(Array.from({ length: 20 }, () => decide(w)))
    const request = stored(w).afterSales['as-req-0001']
    assert.equal(request?.state, 'APPROVED')
    assert.deepEqual(request?.decidedAt, new Date(w.clock.now()))
    assert.equal(w.orders.writes.filter((x) => x.method === 'decideAfterSale' && x.changed).length, 1)
    assert.equal(w.orders.writes.filter((x) => x.method === 'reserveRefund' && x.changed).length, 1)
    assert.equal(stored(w).refunds[afterSaleRefundNo('as-req-0001')]?.refundFee, 1990)
    assert.equal(w.audit.records.size, 1)
    assert.ok(views.every((v) => v.afterSales[0]?.state === 'APPROVED'))
    // Another staff member approving it again: the same answer, no second refund.
    await decide(w, { requestId: 'decide-req-02' })
    assert.equal(Object.keys(stored(w).refunds).length, 1)
    await refusal(decide(w, { requestId: 'decide-req-03', decision: 'reject', reply: '不同意' }), 'ORDER_STATE_CONFLICT')
  })

  test('approve a given amount; more than is left is refused before deciding', async () => {
    const w = world(pendingRequest())
    await refusal(decide(w, { refundFee: 1991 }), 'REFUND_NOT_ALLOWED')
    assert.equal(stored(w).afterSales['as-req-0001']?.state, 'PENDING')
    await decide(w, { requestId: 'decide-req-02', refundFee: 300 })
    assert.equal(stored(w).refundReservedFee, 300)
  })

  test('reject: REJECTED with the reply the shopper sees; a reply is required; approving afterwards conflicts', async () => {
    const w = world(pendingRequest())
    await refusal(decide(w, { decision: 'reject' }), 'INVALID_ARGUMENT')
    const v = await decide(w, { requestId: 'decide-req-02', decision: 'reject', reply: '商品无质量问题' })
    assert.deepEqual(
      v.afterSales.map((a) => [a.state, a.reply]),
      [['REJECTED', '商品无质量问题']],
    )
    assert.equal(stored(w).afterSales['as-req-0001']?.decidedAt?.getTime(), w.clock.now())
    await decide(w, { requestId: 'decide-req-03', decision: 'reject', reply: '商品无质量问题' })
    await refusal(decide(w, { requestId: 'decide-req-04' }), 'ORDER_STATE_CONFLICT')
    assert.deepEqual(stored(w).refunds, {})
    await refusal(decide(w, { requestId: 'decide-req-05', afterSaleId: 'as-req-9999' }), 'ORDER_NOT_FOUND')
  })
})

describe('staff: ship uploads the shipment to WeChat', () => {
  const RECONCILE = { unpaidAfterMs: 600_000, refundsAfterMs: 300_000 }

  test('ok: one upload with the order’s facts, UPLOADED, and the answer says so', async (t) => {
    captureConsole(t)
    const w = world()
    const v = await ship(w)
    assert.deepEqual(w.shipping.uploads, [
      {
        order: { transactionId: 'wx-t1' },
        payerOpenid: 'shopper-1',
        logistics: 'express',
        itemDesc: '挂耳咖啡*1',
        trackingNo: 'SF1234567890',
        expressCompany: 'SF',
        receiverContact: '139****5678',
        uploadedAt: new Date(w.clock.now()),
      },
    ])
    assert.deepEqual(stored(w).shippingUpload, { state: 'UPLOADED', attempts: 1, uploadedAt: new Date(w.clock.now()) })
    assert.equal(v.shippingUpload?.state, 'UPLOADED')
    assert.equal(v.shippingUpload?.note, '发货信息已同步到微信')
    // The list's row says it too.
    assert.equal((await list(w)).items.find((row) => row.outTradeNo === ORDER)?.shippingUpload, 'UPLOADED')
  })

  test('no transaction id: by merchant and order number; without logistics: its type, no waybill; long item lists cut to 120', async (t) => {
    captureConsole(t)
    const items = Array.from({ length: 30 }, (_, i) => ({ goodsId: `g${i}`, name: `商品${i}`, priceFen: fen(100), quantity: 2, pic: '/p.png' }))
    const w = world({ transactionId: undefined, items })
    await view(w, { action: 'ship', outTradeNo: ORDER, requestId: 'ship-req-0009', noLogistics: 'LOCAL' })
    const [sent] = w.shipping.uploads
    assert.ok(sent)
    assert.deepEqual(sent.order, { mchId: '1900000109', outTradeNo: ORDER })
    assert.equal(sent.logistics, 'same_city')
    assert.equal(sent.trackingNo, undefined)
    assert.equal(sent.expressCompany, undefined)
    assert.equal(sent.itemDesc.length, 120)
    assert.ok(sent.itemDesc.startsWith('商品0*2；商品1*2；') && sent.itemDesc.endsWith('…'))
  })

  test('temporary: the ship still succeeds, PENDING; the reconcile timer uploads it once, UPLOADED', async (t) => {
    captureConsole(t)
    const w = world()
    w.shipping.answers.push({ kind: 'temporary', code: -1, message: 'system error' })
    const v = await ship(w)
    assert.equal(v.fulfilment?.state, 'SHIPPED')
    assert.deepEqual(stored(w).shippingUpload, { state: 'PENDING', attempts: 1, lastError: '-1 system error' })
    assert.equal(v.shippingUpload?.note, '发货信息暂未同步到微信，系统将自动重试')
    w.clock.advance(60_000)
    const result = await reconcile(w, RECONCILE, {})
    assert.deepEqual(result.shippingUploads, [ORDER])
    assert.equal(w.shipping.uploads.length, 2)
    assert.deepEqual(w.shipping.uploads[1]?.uploadedAt, new Date(w.clock.now()))
    assert.deepEqual(stored(w).shippingUpload, { state: 'UPLOADED', attempts: 2, uploadedAt: new Date(w.clock.now()) })
    // Nothing left to retry.
    assert.deepEqual((await reconcile(w, RECONCILE, {})).shippingUploads, [])
    assert.equal(w.shipping.uploads.length, 2)
  })

  test('permanent: FAILED with the reason, shown to staff; the timer does not retry it', async (t) => {
    captureConsole(t)
    const w = world()
    w.shipping.answers.push({ kind: 'permanent', reason: 'payer_mismatch', code: 10060031, message: 'payer mismatch' })
    const v = await ship(w)
    assert.equal(v.fulfilment?.state, 'SHIPPED')
    assert.deepEqual(stored(w).shippingUpload, { state: 'FAILED', attempts: 1, lastError: 'payer_mismatch (10060031): payer mismatch' })
    assert.deepEqual([v.shippingUpload?.state, v.shippingUpload?.lastError], ['FAILED', 'payer_mismatch (10060031): payer mismatch'])
    assert.equal((await list(w)).items.find((row) => row.outTradeNo === ORDER)?.shippingUpload, 'FAILED')
    assert.deepEqual((await reconcile(w, RECONCILE, {})).shippingUploads, [])
    assert.equal(w.shipping.uploads.length, 1)
  })

  test('already uploaded (a lost answer) counts as UPLOADED', async (t) => {
    captureConsole(t)
    const w = world()
    w.shipping.answers.push({ kind: 'temporary', code: -501001, message: 'timeout' }, { kind: 'already_uploaded', code: 10060003 })
    await ship(w)
    await reconcile(w, RECONCILE, {})
    assert.equal(stored(w).shippingUpload?.state, 'UPLOADED')
    assert.equal(w.shipping.uploads.length, 2)
  })

  test('the same request again, even 20 at once, never uploads twice; nor does the timer while an upload is claimed', async (t) => {
    captureConsole(t)
    const w = world()
    await Promise.all(Array.from({ length: 20 }, () => ship(w)))
    await ship(w)
    assert.equal(w.shipping.uploads.length, 1)
    // An upload claimed by a caller still running is left alone until its lease ends.
    const claimed = world()
    claimed.orders.put({
      ...stored(claimed),
      ...shippedOrder(),
      shippingUpload: { state: 'PENDING', attempts: 1, claimedAt: new Date(claimed.clock.now()) },
    })
    assert.deepEqual((await reconcile(claimed, RECONCILE, {})).shippingUploads, [])
    assert.equal(claimed.shipping.uploads.length, 0)
    claimed.clock.advance(SHIPPING_UPLOAD_LEASE_MS)
    assert.deepEqual((await reconcile(claimed, RECONCILE, {})).shippingUploads, [ORDER])
    assert.equal(claimed.shipping.uploads.length, 1)
  })
})
