// The staff console's reads on the in-memory ports: the order list (its filters, rows, paging and
// totals) and one order's view (refunds, fulfilment, the shipping upload and the timeline).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import type { OrderRecord, PaymentEvent, StaffAuditRecord } from '../ports'
import { refusal } from '../testing/assertions'
import { MemoryAudit, MemoryHistory, memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { consoleExtras } from '../testing/staffConsoleMemory'
import type { StaffConsoleDeps } from './staff'
import { listStaffOrders, shippingUploadView, staffOrderView } from './staffQueries'

type World = MemoryWorld & StaffConsoleDeps & { audit: MemoryAudit; history: MemoryHistory }

const ADDRESS = { recipient: '李四', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 2 号' }
const number = (i: number): string => `2026112810000012345678${String(900000 + i)}`
const NO = number(99)

function world(): World {
  const w = memoryWorld()
  const history = new MemoryHistory(w.clock)
  const audit = new MemoryAudit()
  return Object.assign(w, { audit, history, events: history }, consoleExtras(w.goods, audit))
}

const put = (w: World, overrides: Partial<OrderRecord> & { outTradeNo: string }): void => w.orders.put(storedOrder(overrides, w.clock))
const list = (w: World, input: Record<string, unknown> = {}) => listStaffOrders(w, input)
const numbers = async (w: World, input: Record<string, unknown> = {}): Promise<string[]> => (await list(w, input)).items.map((o) => o.outTradeNo)

describe('staff orders: filters', () => {
  function three(): World {
    const w = world()
    put(w, { outTradeNo: number(1), status: 'SUCCESS', address: { ...ADDRESS, mobile: '13800000001' } })
    put(w, { outTradeNo: number(2), address: { ...ADDRESS, mobile: '13800000002' } })
    put(w, { outTradeNo: number(3), status: 'SUCCESS' })
    return w
  }

  test('an empty filter (null, "", blanks) filters nothing: a form with cleared fields lists every order', async () => {
    const w = three()
    const all = await list(w)
    assert.equal(all.items.length, 3)
    for (const cleared of [
      { status: null, fulfilment: null, from: null, to: null, search: null, cursor: null },
      { from: '', to: '', search: '' },
      { search: '   ' },
    ])
      assert.deepEqual(await list(w, cleared), all, JSON.stringify(cleared))
  })

  test('search ignores the blanks around a mobile or an order number', async () => {
    const w = three()
    assert.deepEqual(await numbers(w, { search: ' 13800000002 ' }), [number(2)])
    assert.deepEqual(await numbers(w, { search: `\t${number(3)}\n` }), [number(3)])
  })

  test('values that are not text are refused, not read as something else', async () => {
    const w = three()
    let reads = 0
    const listForStaff = w.orders.listForStaff.bind(w.orders)
    w.orders.listForStaff = async (...args) => (reads++, listForStaff(...args))
    for (const bad of [
      { search: 13800000002 },
      { search: ['13800000002'] },
      { from: Date.UTC(2026, 10, 28) },
      { to: Date.UTC(2026, 10, 28) },
      { from: '2026-13-45' },
      { status: ['SUCCESS'] },
      { fulfilment: 1 },
      { cursor: 20261128 },
    ])
      await refusal(list(w, bad), 'INVALID_ARGUMENT')
    assert.equal(reads, 0, 'every filter is checked before anything is read')
  })
})

describe('staff orders: the rows', () => {
  test('each row: status, fulfilment, money, recipient, whether an after-sale request waits, the upload', async () => {
    const w = world()
    const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 28, 0, minute))
    put(w, { outTradeNo: number(1), status: 'SUCCESS', address: ADDRESS, createdAt: at(1) })
    put(w, { outTradeNo: number(2), createdAt: at(2) })
    put(w, {
      outTradeNo: number(3),
      status: 'SUCCESS',
      createdAt: at(3),
      fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1', shippedAt: at(4) },
      shippingUpload: { state: 'FAILED', attempts: 1, lastError: 'payer_mismatch' },
      afterSales: {
        'as-req-0001': { id: 'as-req-0001', reason: '破损', state: 'REJECTED', createdAt: at(5), decidedAt: at(6), reply: '无破损' },
        'as-req-0002': { id: 'as-req-0002', reason: '还是破损', state: 'PENDING', createdAt: at(7) },
      },
    })
    put(w, {
      outTradeNo: number(4),
      status: 'REFUND',
      createdAt: at(4),
      refundedFee: fen(500),
      fulfilment: { state: 'RECEIVED', receivedAt: at(9) },
      afterSales: { 'as-req-0003': { id: 'as-req-0003', reason: '少件', state: 'APPROVED', createdAt: at(8), decidedAt: at(9) } },
    })
    const row = { totalFee: 1990, refundedFee: 0, recipient: null, mobile: null, afterSalePending: false, shippingUpload: null }
    assert.deepEqual((await list(w)).items, [
      {
        ...row,
        outTradeNo: number(4),
        status: 'REFUND',
        fulfilment: 'RECEIVED',
        paidFee: 1990,
        refundedFee: 500,
        createdAt: at(4).toISOString(),
      },
      {
        ...row,
        outTradeNo: number(3),
        status: 'SUCCESS',
        fulfilment: 'SHIPPED',
        paidFee: 1990,
        createdAt: at(3).toISOString(),
        afterSalePending: true,
        shippingUpload: 'FAILED',
      },
      { ...row, outTradeNo: number(2), status: 'NOTPAY', fulfilment: null, paidFee: 0, createdAt: at(2).toISOString() },
      {
        ...row,
        outTradeNo: number(1),
        status: 'SUCCESS',
        fulfilment: 'PENDING',
        paidFee: 1990,
        recipient: '李四',
        mobile: '13912345678',
        createdAt: at(1).toISOString(),
      },
    ])
  })
})

describe('staff orders: paging and totals', () => {
  function many(n: number): World {
    const w = world()
    for (let i = 0; i < n; i++) put(w, { outTradeNo: number(i), status: 'SUCCESS', totalFee: fen(100 + i) })
    return w
  }

  test('exactly a page of orders: no next page', async () => {
    const w = many(3)
    const page = await list(w, { limit: 3 })
    assert.deepEqual(
      page.items.map((o) => o.outTradeNo),
      [number(2), number(1), number(0)],
    )
    assert.equal(page.nextCursor, null)
  })

  test('one more than a page: the next page starts after the last row shown; totals are the whole filter’s on every page', async () => {
    const w = many(4)
    const first = await list(w, { limit: 3 })
    assert.equal(first.nextCursor, number(1))
    const second = await list(w, { limit: 3, cursor: first.nextCursor })
    assert.deepEqual(
      second.items.map((o) => o.outTradeNo),
      [number(0)],
    )
    assert.equal(second.nextCursor, null)
    const totals = { orders: 4, paidFee: 100 + 101 + 102 + 103, refundedFee: 0, capped: false }
    assert.deepEqual(first.totals, totals)
    assert.deepEqual(second.totals, totals)
  })

  test('20 to a page unless asked; 1 to 50 may be asked', async () => {
    const w = many(51)
    const page = await list(w)
    assert.equal(page.items.length, 20)
    assert.equal(page.nextCursor, number(31))
    assert.equal((await list(w, { limit: 1 })).items.length, 1)
    assert.equal((await list(w, { limit: 50 })).items.length, 50)
    for (const limit of [0, 51, 2.5, '10']) await refusal(list(w, { limit }), 'INVALID_ARGUMENT')
  })
})

describe('staff order: one order', () => {
  test('an unpaid order: no fulfilment, no address; its note as written', async () => {
    const w = world()
    put(w, { outTradeNo: NO, note: '请放门口' })
    const v = await staffOrderView(w, NO)
    assert.equal(v.status, 'NOTPAY')
    assert.equal(v.fulfilment, null)
    assert.equal(v.address, null)
    assert.equal(v.note, '请放门口')
    assert.equal(v.shippingUpload, null)
    put(w, { outTradeNo: number(1) })
    assert.equal((await staffOrderView(w, number(1))).note, null)
  })

  test('refunds: who asked, why, and why one failed', async () => {
    const w = world()
    const created = new Date(w.clock.now())
    put(w, {
      outTradeNo: NO,
      status: 'SUCCESS',
      refundReservedFee: fen(500),
      refunds: {
        Sreq1: {
          outRefundNo: 'Sreq1',
          refundFee: fen(500),
          status: 'FAILED',
          requestedBy: 'staff-1',
          reason: '缺货',
          failure: 'NOTENOUGH 余额不足',
          createdAt: created,
        },
        Sreq2: { outRefundNo: 'Sreq2', refundFee: fen(500), status: 'PROCESSING', requestedBy: 'staff-2', createdAt: created },
      },
    })
    const v = await staffOrderView(w, NO)
    assert.deepEqual(v.refunds.map((r) => [r.outRefundNo, r.requestedBy, r.reason, r.failure]).sort(), [
      ['Sreq1', 'staff-1', '缺货', 'NOTENOUGH 余额不足'],
      ['Sreq2', 'staff-2', null, null],
    ])
  })

  test('shipped without logistics: the way it went, no tracking number', async () => {
    const w = world()
    put(w, { outTradeNo: NO, status: 'SUCCESS', fulfilment: { state: 'SHIPPED', carrier: 'PICKUP', trackingNo: '', shippedAt: new Date(0) } })
    const v = await staffOrderView(w, NO)
    assert.equal(v.fulfilment?.state, 'SHIPPED')
    assert.equal(v.fulfilment?.noLogistics, 'PICKUP')
    put(w, { outTradeNo: number(1), status: 'SUCCESS', fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1', shippedAt: new Date(0) } })
    assert.equal((await staffOrderView(w, number(1))).fulfilment?.noLogistics, null)
  })

  test('not an order number: INVALID_ARGUMENT; no such order: ORDER_NOT_FOUND', async () => {
    const w = world()
    for (const bad of [undefined, 12345678, '../x', { $ne: null }]) await refusal(staffOrderView(w, bad), 'INVALID_ARGUMENT')
    await refusal(staffOrderView(w, NO), 'ORDER_NOT_FOUND')
  })
})

describe('staff order: the timeline', () => {
  const T0 = Date.UTC(2026, 10, 28, 2, 0, 0)
  const event = (kind: PaymentEvent['kind'], decision: PaymentEvent['decision'], reason: string): PaymentEvent => ({
    kind,
    mode: 'cloudpay',
    source: 'test',
    outTradeNo: NO,
    decision,
    reason,
    raw: {},
  })
  const action = (requestId: string, staff: string, kind: StaffAuditRecord['action'], input: Record<string, unknown>, at: number): StaffAuditRecord => ({
    requestId,
    staff,
    action: kind,
    outTradeNo: NO,
    input: { outTradeNo: NO, ...input },
    outcome: 'ok',
    at: new Date(at),
  })

  test('what happened to the order, oldest first, each with who did it and what it was', async () => {
    const w = world()
    put(w, {
      outTradeNo: NO,
      status: 'SUCCESS',
      createdAt: new Date(T0),
      afterSales: {
        'as-req-0001': { id: 'as-req-0001', reason: '杯子有裂纹', state: 'APPROVED', createdAt: new Date(T0 + 4000), decidedAt: new Date(T0 + 5000) },
        'as-req-0002': {
          id: 'as-req-0002',
          reason: '少一件',
          state: 'REJECTED',
          createdAt: new Date(T0 + 6000),
          decidedAt: new Date(T0 + 7000),
          reply: '已核实',
        },
      },
    })
    // Recorded out of order on purpose: the timeline sorts by time, not by where it was read from.
    await w.audit.record(action('decide-req-02', 'staff-1', 'afterSale', { afterSaleId: 'as-req-0002', decision: 'reject', reply: '已核实' }, T0 + 7000))
    await w.audit.record(action('decide-req-01', 'staff-2', 'afterSale', { afterSaleId: 'as-req-0001', decision: 'approve', refundFee: 300 }, T0 + 5000))
    await w.audit.record(action('refund-req-01', 'staff-1', 'refund', { reason: '少发一件', refundFee: 500 }, T0 + 3000))
    await w.audit.record(action('ship-req-0001', 'staff-1', 'ship', { carrier: 'SF', trackingNo: 'SF1234567890' }, T0 + 2000))
    await w.audit.record(action('ship-req-0002', 'staff-2', 'ship', { noLogistics: 'PICKUP' }, T0 + 2500))
    w.clock.ms = T0 + 1000
    await w.history.record(event('payment_notify', 'applied', 'paid'))
    const v = await staffOrderView(w, NO)
    assert.deepEqual(
      v.timeline.map((e) => [new Date(e.at).getTime() - T0, e.source, e.kind, e.detail]),
      [
        [0, 'order', 'created', '1990 fen'],
        [1000, 'payment', 'payment_notify:applied', 'paid'],
        [2000, 'staff', 'ship:ok', 'by staff-1; 顺丰速运 SF1234567890'],
        [2500, 'staff', 'ship:ok', 'by staff-2; PICKUP'],
        [3000, 'staff', 'refund:ok', 'by staff-1; 500 fen; 少发一件'],
        [4000, 'order', 'afterSale_requested', '杯子有裂纹'],
        [5000, 'staff', 'afterSale:ok', 'by staff-2; 300 fen; approve as-req-0001'],
        [6000, 'order', 'afterSale_requested', '少一件'],
        [7000, 'staff', 'afterSale:ok', 'by staff-1; reject as-req-0002; 已核实'],
      ],
    )
  })

  test('what happened at the same instant keeps the order: the order’s own, then payment, then staff', async () => {
    const w = world()
    put(w, { outTradeNo: NO, status: 'SUCCESS', createdAt: new Date(w.clock.now()) })
    await w.audit.record(action('refund-req-01', 'staff-1', 'refund', { reason: '缺货' }, w.clock.now()))
    await w.history.record(event('refund_request', 'applied', 'requested'))
    const v = await staffOrderView(w, NO)
    assert.deepEqual(
      v.timeline.map((e) => [e.source, e.detail]),
      [
        ['order', '1990 fen'],
        ['payment', 'requested'],
        ['staff', 'by staff-1; 缺货'],
      ],
    )
    assert.ok(v.timeline.every((e) => e.at === new Date(w.clock.now()).toISOString()))
  })

  test('another order’s events and actions are not in it', async () => {
    const w = world()
    put(w, { outTradeNo: NO, status: 'SUCCESS' })
    put(w, { outTradeNo: number(1), status: 'SUCCESS' })
    await w.history.record({ ...event('payment_notify', 'applied', 'paid'), outTradeNo: number(1) })
    await w.audit.record({ ...action('refund-req-01', 'staff-1', 'refund', { reason: '缺货' }, w.clock.now()), outTradeNo: number(1) })
    assert.deepEqual(
      (await staffOrderView(w, NO)).timeline.map((e) => e.kind),
      ['created'],
    )
  })
})

describe('the shipping upload as staff see it', () => {
  test('none before shipping; each state with what it means for staff, when it was uploaded and why it failed', () => {
    assert.equal(shippingUploadView(undefined), null)
    const uploadedAt = new Date(Date.UTC(2026, 10, 28, 3))
    const uploaded = shippingUploadView({ state: 'UPLOADED', attempts: 2, uploadedAt })
    const pending = shippingUploadView({ state: 'PENDING', attempts: 1, lastError: '-1 system error' })
    const failed = shippingUploadView({ state: 'FAILED', attempts: 1, lastError: 'payer_mismatch (10060031): payer mismatch' })
    assert.deepEqual(
      [uploaded, pending, failed].map((v) => [v?.state, v?.attempts, v?.uploadedAt, v?.lastError]),
      [
        ['UPLOADED', 2, uploadedAt.toISOString(), null],
        ['PENDING', 1, null, '-1 system error'],
        ['FAILED', 1, null, 'payer_mismatch (10060031): payer mismatch'],
      ],
    )
    // Failed for good: staff are told to enter it in WeChat's console themselves.
    assert.match(failed?.note ?? '', /微信后台/)
    assert.equal(new Set([uploaded?.note, pending?.note, failed?.note]).size, 3, 'each state says something different')
  })
})
