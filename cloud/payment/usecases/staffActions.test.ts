// The staff order actions (ship, refund, after-sale decisions) called directly on the in-memory
// ports: what a retry, a lost race, a fault or a malformed request leaves behind. The console's
// happy paths through `staffConsole` are in staff.test.ts.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Fulfilment } from '../core/fulfilment'
import { fen } from '../core/money'
import { toOrderView } from '../core/orderView'
import { OUT_REFUND_NO } from '../core/refund'
import type { ErrorCode } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST } from '../parse'
import type { AfterSaleDecision, OrderRecord } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { STAFF_TEST_ORDER, staffWorld, type StaffWorld } from '../testing/staffConsoleMemory'
import {
  afterSaleRefundNo,
  CHANGED,
  decideAfterSale,
  itemDescOf,
  REQUEST_REUSED,
  shipOrder,
  SHIPPING_UPLOAD_LEASE_MS,
  staffRefund,
  staffRefundNo,
  uploadShipment,
} from './staffActions'

const ORDER = STAFF_TEST_ORDER
const AS = 'as-req-0001'
type World = StaffWorld
const world = staffWorld

const stored = (w: World): OrderRecord => {
  const doc = w.orders.docs.get(ORDER)
  assert.ok(doc)
  return doc
}
const SHIP = { outTradeNo: ORDER, requestId: 'ship-req-0001', carrier: 'SF', trackingNo: 'SF1234567890' }
const ship = (w: World, fields: Record<string, unknown> = {}) => shipOrder(w, 'staff-1', { ...SHIP, ...fields })
const refund = (w: World, fields: Record<string, unknown> = {}) =>
  staffRefund(w, 'staff-1', { outTradeNo: ORDER, requestId: 'refund-req-01', reason: '缺货', ...fields })
const decide = (w: World, fields: Record<string, unknown> = {}) =>
  decideAfterSale(w, 'staff-1', { outTradeNo: ORDER, requestId: 'decide-req-01', afterSaleId: AS, decision: 'approve', ...fields })

const shipped = (): Partial<OrderRecord> => ({ fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1', shippedAt: new Date(0) } as Fulfilment })
const withRequest = (id = AS): Partial<OrderRecord> => ({
  ...shipped(),
  afterSales: { [id]: { id, reason: '杯子有裂纹', state: 'PENDING', createdAt: new Date(Date.UTC(2026, 10, 28, 1)) } },
})

/** A refusal in the shopper's words that also carries, for the operator's log, a detail of why. */
async function refused(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await refusal(promise, code)
  assert.ok(error.detail, `${code} "${error.message}" has no detail for the operator`)
  if (message !== undefined) assert.equal(error.message, message)
  return error
}

/** Counts the order reads, so a refusal can be shown to have come before anything was read. */
function countReads(w: World): { reads: number } {
  const counter = { reads: 0 }
  const get = w.orders.get.bind(w.orders)
  w.orders.get = async (no) => (counter.reads++, get(no))
  return counter
}

/** The audit write fails once (a database fault): the action ran, its record did not land. */
function auditFailsOnce(w: World): void {
  const record = w.audit.record.bind(w.audit)
  let failed = false
  w.audit.record = async (entry) => {
    if (failed) return record(entry)
    failed = true
    throw new Error('database down')
  }
}

/** A copy of the stored order, as a caller holds it (the repository's later writes do not reach it). */
const current = (w: World): OrderRecord => structuredClone(stored(w))
const changedWrites = (w: World, method: string) => w.orders.writes.filter((x) => x.method === method && x.changed).length

describe('staffActions: ship', () => {
  test('a retry after the audit write failed ships nothing more, uploads once, and is audited once as ok', async (t) => {
    captureConsole(t)
    const w = world()
    auditFailsOnce(w)
    await assert.rejects(ship(w), /database down/)
    assert.equal(stored(w).fulfilment?.state, 'SHIPPED')
    assert.equal(w.audit.records.size, 0)
    const view = await ship(w)
    assert.equal(view.fulfilment?.trackingNo, 'SF1234567890')
    assert.equal(changedWrites(w, 'markShipped'), 1)
    assert.equal(w.shipping.uploads.length, 1)
    assert.equal(w.audit.records.size, 1)
    assert.equal(w.audit.records.get('ship-req-0001')?.outcome, 'ok')
  })

  test('a fault while shipping (plain or a non-definite AppError) is not recorded, so the retry ships and records ok', async (t) => {
    captureConsole(t)
    for (const fault of [new Error('database down'), new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: 'write timed out' })]) {
      const w = world()
      const markShipped = w.orders.markShipped.bind(w.orders)
      let calls = 0
      w.orders.markShipped = async (no, shipment) => {
        if (calls++ === 0) throw fault
        return markShipped(no, shipment)
      }
      await assert.rejects(ship(w), (error) => error === fault)
      assert.equal(w.audit.records.size, 0, `${fault.message}: a fault leaves the request for the retry`)
      assert.equal(stored(w).fulfilment?.state, 'PENDING')
      await ship(w)
      assert.equal(stored(w).fulfilment?.state, 'SHIPPED')
      assert.equal(w.audit.records.get('ship-req-0001')?.outcome, 'ok')
    }
  })

  test('the same requestId shipped another way (other tracking number or carrier) is REQUEST_REUSED, recorded, and the first shipment stands', async (t) => {
    captureConsole(t)
    for (const other of [{ trackingNo: 'SF999999' }, { carrier: 'ZTO' }]) {
      const w = world()
      auditFailsOnce(w) // the first shipment's record is lost, so only the order itself knows the request
      await assert.rejects(ship(w), /database down/)
      await refused(ship(w, other), 'INVALID_ARGUMENT', REQUEST_REUSED)
      assert.equal(w.audit.records.get('ship-req-0001')?.outcome, 'INVALID_ARGUMENT')
      assert.deepEqual([stored(w).fulfilment?.carrier, stored(w).fulfilment?.trackingNo], ['SF', 'SF1234567890'])
      assert.equal(changedWrites(w, 'markShipped'), 1)
      assert.equal(w.shipping.uploads.length, 1)
    }
  })

  test('a state that forbids shipping: ORDER_STATE_CONFLICT saying why, recorded as such, and nothing changes', async (t) => {
    captureConsole(t)
    const cases: Array<[string, Partial<OrderRecord>, string]> = [
      ['shipped', shipped(), '订单已发货'],
      ['received', { fulfilment: { state: 'RECEIVED', carrier: 'SF', trackingNo: 'SF1', shippedAt: new Date(0), receivedAt: new Date(1) } }, '订单已发货'],
      ['cancelled', { fulfilment: { state: 'CANCELLED', cancelledAt: new Date(0) } }, '订单已取消并退款，不能发货'],
      ['fully refunded', { status: 'REFUND' }, '订单已全额退款，不能发货'],
      ['unpaid', { status: 'NOTPAY' }, '订单未支付，不能发货'],
      ['closed', { status: 'CLOSED' }, '订单未支付，不能发货'],
      ['paid, no fulfilment yet', { fulfilment: undefined }, '订单未支付，不能发货'],
    ]
    for (const [name, overrides, message] of cases) {
      const w = world(overrides)
      const before = structuredClone(stored(w))
      const error = await refused(ship(w), 'ORDER_STATE_CONFLICT')
      assert.equal(error.message, message, name)
      assert.deepEqual(stored(w), before, name)
      assert.deepEqual(w.orders.writes, [], `${name}: refused before any write is tried`)
      assert.equal(w.shipping.uploads.length, 0, name)
      assert.equal(w.audit.records.get('ship-req-0001')?.outcome, 'ORDER_STATE_CONFLICT', name)
    }
  })

  test('another request ships first between our read and our write: ORDER_STATE_CONFLICT, their shipment stands, we upload nothing', async (t) => {
    captureConsole(t)
    const w = world()
    const markShipped = w.orders.markShipped.bind(w.orders)
    w.orders.markShipped = async (no, shipment) => {
      await markShipped(no, { ...shipment, carrier: 'ZTO', trackingNo: 'ZTO55555', requestId: 'ship-req-other' })
      return markShipped(no, shipment)
    }
    await refused(ship(w), 'ORDER_STATE_CONFLICT', '订单已发货')
    assert.deepEqual([stored(w).shipRequestId, stored(w).fulfilment?.trackingNo], ['ship-req-other', 'ZTO55555'])
    assert.equal(w.shipping.uploads.length, 0)
  })

  test('the conditional write refused with nothing to show why: ORDER_STATE_CONFLICT asking staff to refresh', async () => {
    const w = world()
    w.orders.markShipped = async () => false
    await refused(ship(w), 'ORDER_STATE_CONFLICT', CHANGED)
    assert.equal(stored(w).fulfilment?.state, 'PENDING')
  })

  test('an unknown order: ORDER_NOT_FOUND, recorded as such', async () => {
    const w = world()
    await refused(ship(w, { outTradeNo: '2026112800000000000000000000' }), 'ORDER_NOT_FOUND')
    assert.equal(w.audit.records.get('ship-req-0001')?.outcome, 'ORDER_NOT_FOUND')
  })

  test('bad input is INVALID_ARGUMENT before anything is read, written or recorded', async () => {
    const w = world()
    const counter = countReads(w)
    const cases: Array<Record<string, unknown>> = [
      { outTradeNo: 'x' },
      { outTradeNo: Number(ORDER) },
      { requestId: 12345678 },
      { requestId: '!ship-req-0001' },
      { requestId: 'ship-req-0001!' },
      { requestId: 'r'.repeat(61) },
      { carrier: 'UPS' },
      { carrier: ['SF'] },
      { trackingNo: '!SF12345' },
      { trackingNo: 'SF12345!' },
      { trackingNo: 'S'.repeat(41) },
      { trackingNo: 12345678 },
      { noLogistics: 'DRONE', carrier: undefined, trackingNo: undefined },
      { noLogistics: 'LOCAL', trackingNo: undefined },
      { noLogistics: 'LOCAL', carrier: undefined },
    ]
    for (const fields of cases) await refused(ship(w, fields), 'INVALID_ARGUMENT')
    assert.equal(counter.reads, 0)
    assert.deepEqual(w.orders.writes, [])
    assert.equal(w.audit.records.size, 0)
    assert.equal(w.shipping.uploads.length, 0)
  })

  test('a padded tracking number is stored trimmed; a null noLogistics is no choice; the longest ids and numbers are taken', async (t) => {
    captureConsole(t)
    const w = world()
    await ship(w, { trackingNo: '  SF1234567890 ', noLogistics: null })
    assert.deepEqual([stored(w).fulfilment?.carrier, stored(w).fulfilment?.trackingNo], ['SF', 'SF1234567890'])
    const longest = world()
    await ship(longest, { requestId: 'r'.repeat(60), trackingNo: 'S'.repeat(40) })
    assert.equal(stored(longest).fulfilment?.trackingNo, 'S'.repeat(40))
  })

  test('without logistics the upload names its kind; an order without an address uploads no contact', async (t) => {
    captureConsole(t)
    for (const [kind, logistics] of [
      ['VIRTUAL', 'virtual'],
      ['PICKUP', 'pickup'],
      ['LOCAL', 'same_city'],
    ] as const) {
      const w = world({ address: undefined })
      await ship(w, { carrier: undefined, trackingNo: undefined, noLogistics: kind })
      const [sent] = w.shipping.uploads
      assert.equal(sent?.logistics, logistics)
      assert.equal(sent?.receiverContact, undefined)
      assert.equal(stored(w).fulfilment?.carrier, kind)
    }
  })

  test('an upload that throws never undoes the shipment: SHIPPED, the upload left PENDING for the timer', async (t) => {
    captureConsole(t)
    const w = world()
    w.shipping.upload = async () => {
      throw new Error('network down')
    }
    const view = await ship(w)
    assert.equal(view.fulfilment?.state, 'SHIPPED')
    assert.equal(view.shippingUpload?.state, 'PENDING')
    assert.equal(stored(w).shippingUpload?.state, 'PENDING')
  })
})

describe('staffActions: uploadShipment', () => {
  const pending = (w: World, upload: NonNullable<OrderRecord['shippingUpload']>) => w.orders.put({ ...stored(w), ...shipped(), shippingUpload: upload })

  test('nothing to upload: none before shipping, the state once UPLOADED or FAILED, busy while a claim holds', async () => {
    const w = world()
    assert.equal(await uploadShipment(w, current(w)), 'none')
    pending(w, { state: 'UPLOADED', attempts: 1, uploadedAt: new Date(0) })
    assert.equal(await uploadShipment(w, current(w)), 'UPLOADED')
    pending(w, { state: 'FAILED', attempts: 1, lastError: 'payer_mismatch' })
    assert.equal(await uploadShipment(w, current(w)), 'FAILED')
    pending(w, { state: 'PENDING', attempts: 1, claimedAt: new Date(w.clock.now() - SHIPPING_UPLOAD_LEASE_MS + 1) })
    assert.equal(await uploadShipment(w, current(w)), 'busy')
    assert.equal(w.shipping.uploads.length, 0)
  })

  test('a caller holding an old copy of the order loses the claim: busy, and WeChat gets one upload', async (t) => {
    captureConsole(t)
    const w = world()
    pending(w, { state: 'PENDING', attempts: 0 })
    const old = current(w)
    assert.equal(await uploadShipment(w, current(w)), 'UPLOADED')
    assert.equal(await uploadShipment(w, old), 'busy')
    assert.equal(w.shipping.uploads.length, 1)
  })

  test('a fault during the upload keeps the claim and the last error staff see; it is never marked UPLOADED', async () => {
    const w = world()
    pending(w, { state: 'PENDING', attempts: 1, lastError: '-1 system error' })
    w.shipping.upload = async () => {
      throw new Error('network down')
    }
    await assert.rejects(uploadShipment(w, current(w)), /network down/)
    assert.deepEqual(stored(w).shippingUpload, { state: 'PENDING', attempts: 2, claimedAt: new Date(w.clock.now()), lastError: '-1 system error' })
  })

  test('an outcome that comes after the lease passed to another caller is dropped: busy; the other’s UPLOADED stands', async (t) => {
    captureConsole(t)
    const w = world()
    pending(w, { state: 'PENDING', attempts: 0 })
    const upload = w.shipping.upload.bind(w.shipping)
    let slow = true
    w.shipping.upload = async (input) => {
      if (slow) {
        slow = false
        w.clock.advance(SHIPPING_UPLOAD_LEASE_MS)
        assert.equal(await uploadShipment(w, current(w)), 'UPLOADED')
      }
      return upload(input)
    }
    assert.equal(await uploadShipment(w, current(w)), 'busy')
    assert.deepEqual(stored(w).shippingUpload, { state: 'UPLOADED', attempts: 2, uploadedAt: new Date(w.clock.now()) })
  })

  test('item description: 120 characters is kept whole, 121 is cut to 119 and an ellipsis', () => {
    const line = (name: string) => ({ goodsId: 'g', name, priceFen: fen(100), quantity: 1, pic: '/p.png' })
    assert.equal(itemDescOf([line('茶'.repeat(118))]), `${'茶'.repeat(118)}*1`)
    assert.equal(itemDescOf([line('茶'.repeat(119))]), `${'茶'.repeat(119)}…`)
  })
})

describe('staffActions: refund', () => {
  test('never more than paid minus refunded: the full refund takes what is left; then nothing is left and nothing changes', async () => {
    const w = world()
    await refund(w, { refundFee: 500 })
    const full = await refund(w, { requestId: 'refund-req-02', refundFee: null })
    assert.equal(full.refunds.find((r) => r.outRefundNo === staffRefundNo('refund-req-02'))?.refundFee, 1990 - 500)
    assert.equal(stored(w).refundReservedFee, 1990)
    const before = structuredClone(stored(w))
    const sent = w.gateway.callsOf('refund').length
    await refused(refund(w, { requestId: 'refund-req-03' }), 'REFUND_NOT_ALLOWED', '订单没有可退的金额')
    assert.equal(w.audit.records.get('refund-req-03')?.outcome, 'REFUND_NOT_ALLOWED')
    await refusal(refund(w, { requestId: 'refund-req-04', refundFee: 1 }), 'REFUND_NOT_ALLOWED')
    assert.deepEqual(stored(w), before)
    assert.equal(w.gateway.callsOf('refund').length, sent)
  })

  test('the audit keeps what was asked (reason trimmed, amount); the same request for another amount is REQUEST_REUSED', async () => {
    const w = world()
    const view = await refund(w, { reason: ' 少发一件 ', refundFee: 500 })
    assert.equal(view.refunds[0]?.reason, '少发一件')
    assert.deepEqual(w.audit.records.get('refund-req-01')?.input, { outTradeNo: ORDER, reason: '少发一件', refundFee: 500 })
    await refused(refund(w, { reason: '少发一件', refundFee: 600 }), 'INVALID_ARGUMENT', REQUEST_REUSED)
    assert.equal(stored(w).refundReservedFee, 500)
    assert.equal(w.audit.records.size, 1)
  })

  test('a requestId used for a refund is refused for a shipment before anything ships', async (t) => {
    captureConsole(t)
    const w = world()
    await refund(w, { requestId: 'shared-req-01', refundFee: 100 })
    await refused(ship(w, { requestId: 'shared-req-01' }), 'INVALID_ARGUMENT', REQUEST_REUSED)
    assert.equal(stored(w).fulfilment?.state, 'PENDING')
    assert.equal(changedWrites(w, 'markShipped'), 0)
  })

  test('another action recorded first under the same requestId while ours ran: ours is REQUEST_REUSED and theirs stands', async () => {
    const w = world()
    const theirs = { requestId: 'refund-req-01', staff: 'staff-2', action: 'ship' as const, outTradeNo: ORDER, input: {}, outcome: 'ok', at: new Date(0) }
    const reserve = w.orders.reserveRefund.bind(w.orders)
    w.orders.reserveRefund = async (...args) => (await w.audit.record(theirs), reserve(...args))
    await refused(refund(w), 'INVALID_ARGUMENT', REQUEST_REUSED)
    assert.deepEqual(w.audit.records.get('refund-req-01'), theirs)
  })

  test('reason: required, text, one line, at most 80 characters (一 counts one); amount a positive integer of fen', async () => {
    const w = world()
    const counter = countReads(w)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ reason: undefined }, '请填写退款原因'],
      [{ reason: null }, '请填写退款原因'],
      [{ reason: '   ' }, '请填写退款原因'],
      [{ reason: 42 }, '退款原因格式不正确'],
      [{ reason: '缺货\n补发' }, '退款原因不能换行或包含特殊字符'],
      [{ reason: '退'.repeat(81) }, '退款原因最多 80 个字'],
      [{ refundFee: 0 }, '退款金额应为正整数（单位：分）'],
      [{ refundFee: 1.5 }, '退款金额应为正整数（单位：分）'],
      [{ refundFee: '500' }, '退款金额应为正整数（单位：分）'],
    ]
    for (const [fields, message] of cases) await refused(refund(w, fields), 'INVALID_ARGUMENT', message)
    assert.equal(counter.reads, 0)
    assert.equal(w.audit.records.size, 0)
    assert.deepEqual(w.orders.writes, [])
    await refund(w, { reason: '退'.repeat(80), refundFee: 100 })
    assert.equal(stored(w).refunds[staffRefundNo('refund-req-01')]?.reason, '退'.repeat(80))
  })

  test('an order gone by the time the answer is read: INTERNAL in the shopper’s words, not a crash', async () => {
    const w = world()
    const record = w.audit.record.bind(w.audit)
    w.audit.record = async (entry) => (w.orders.docs.delete(ORDER), record(entry))
    await refused(refund(w, { refundFee: 100 }), 'INTERNAL')
  })
})

describe('staffActions: afterSale', () => {
  /** The decisions handed to the repository (the memory store keeps only state, time and reply). */
  function decisions(w: World): AfterSaleDecision[] {
    const seen: AfterSaleDecision[] = []
    const decideOnRepo = w.orders.decideAfterSale.bind(w.orders)
    w.orders.decideAfterSale = async (no, id, decision) => (seen.push(structuredClone(decision)), decideOnRepo(no, id, decision))
    return seen
  }

  test('approve: APPROVED naming its refund, which is everything refundable, reason 售后退款; audited as afterSale', async (t) => {
    captureConsole(t)
    const w = world(withRequest())
    const seen = decisions(w)
    const view = await decide(w)
    assert.deepEqual(seen, [{ state: 'APPROVED', decidedAt: new Date(w.clock.now()), outRefundNo: afterSaleRefundNo(AS) }])
    assert.deepEqual(
      view.refunds.map((r) => [r.outRefundNo, r.refundFee, r.reason]),
      [[afterSaleRefundNo(AS), 1990, '售后退款']],
    )
    const record = w.audit.records.get('decide-req-01')
    assert.equal(record?.action, 'afterSale')
    assert.deepEqual(record?.input, { outTradeNo: ORDER, afterSaleId: AS, decision: 'approve' })
  })

  test('approve an amount with a note: that amount is refunded; exactly what is left is allowed; the audit keeps both', async (t) => {
    captureConsole(t)
    const w = world(withRequest())
    await decide(w, { refundFee: 300, reply: '已为您退款 3 元' })
    assert.equal(stored(w).refunds[afterSaleRefundNo(AS)]?.refundFee, 300)
    assert.equal(stored(w).afterSales[AS]?.reply, '已为您退款 3 元')
    assert.deepEqual(w.audit.records.get('decide-req-01')?.input, {
      outTradeNo: ORDER,
      afterSaleId: AS,
      decision: 'approve',
      refundFee: 300,
      reply: '已为您退款 3 元',
    })
    const all = world(withRequest())
    await decide(all, { refundFee: 1990, reply: null })
    assert.equal(stored(all).refunds[afterSaleRefundNo(AS)]?.refundFee, 1990)
    assert.deepEqual(all.audit.records.get('decide-req-01')?.input, { outTradeNo: ORDER, afterSaleId: AS, decision: 'approve', refundFee: 1990 })
  })

  test('approving again for another amount is refused and recorded; the first refund stands', async (t) => {
    captureConsole(t)
    const w = world(withRequest())
    await decide(w, { refundFee: 300 })
    await refusal(decide(w, { requestId: 'decide-req-02', refundFee: 500 }), 'INVALID_ARGUMENT')
    assert.equal(w.audit.records.get('decide-req-02')?.outcome, 'INVALID_ARGUMENT')
    assert.equal(stored(w).refundReservedFee, 300)
    assert.equal(Object.keys(stored(w).refunds).length, 1)
  })

  test('reject stores the reply the shopper reads, even with nothing left to refund; no refund is made, a refundFee is ignored', async (t) => {
    captureConsole(t)
    const w = world(withRequest())
    await refund(w) // everything refunded by staff already
    const seen = decisions(w)
    await decide(w, { decision: 'reject', reply: ' 商品无质量问题 ', refundFee: 'abc' })
    assert.deepEqual(seen, [{ state: 'REJECTED', decidedAt: new Date(w.clock.now()), reply: '商品无质量问题' }])
    const shopper = toOrderView(stored(w), w.clock.now())
    assert.deepEqual(
      shopper.afterSales.map((a) => [a.state, a.reply]),
      [['REJECTED', '商品无质量问题']],
    )
    assert.deepEqual(Object.keys(stored(w).refunds), [staffRefundNo('refund-req-01')])
    assert.deepEqual(w.audit.records.get('decide-req-01')?.input, { outTradeNo: ORDER, afterSaleId: AS, decision: 'reject', reply: '商品无质量问题' })
  })

  test('deciding a decided request the other way: ORDER_STATE_CONFLICT saying how it was decided, whatever is left to refund', async (t) => {
    captureConsole(t)
    const approved = world(withRequest())
    await decide(approved)
    await refused(decide(approved, { requestId: 'decide-req-02', decision: 'reject', reply: '不同意' }), 'ORDER_STATE_CONFLICT', '该售后申请已同意')
    const rejected = world(withRequest())
    await decide(rejected, { decision: 'reject', reply: '不同意' })
    await refund(rejected) // everything refunded by staff since
    await refused(decide(rejected, { requestId: 'decide-req-02' }), 'ORDER_STATE_CONFLICT', '该售后申请已拒绝')
    assert.equal(stored(rejected).afterSales[AS]?.state, 'REJECTED')
    assert.deepEqual(Object.keys(stored(rejected).refunds), [staffRefundNo('refund-req-01')])
  })

  test('an unknown request: ORDER_NOT_FOUND, recorded as such, nothing decided or refunded', async () => {
    const w = world(withRequest())
    await refused(decide(w, { afterSaleId: 'as-req-9999' }), 'ORDER_NOT_FOUND', '售后申请不存在')
    assert.equal(w.audit.records.get('decide-req-01')?.outcome, 'ORDER_NOT_FOUND')
    assert.equal(stored(w).afterSales[AS]?.state, 'PENDING')
    assert.deepEqual(stored(w).refunds, {})
  })

  test('bad input is INVALID_ARGUMENT before anything is read or written', async () => {
    const w = world(withRequest())
    const counter = countReads(w)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ afterSaleId: 12345678 }, BAD_REQUEST],
      [{ afterSaleId: 'as req 0001' }, BAD_REQUEST],
      [{ decision: 'maybe' }, BAD_REQUEST],
      [{ decision: 'reject' }, '请填写回复'],
      [{ decision: 'reject', reply: '不'.repeat(201) }, '回复最多 200 个字'],
      [{ refundFee: -1 }, '退款金额应为正整数（单位：分）'],
    ]
    for (const [fields, message] of cases) await refused(decide(w, fields), 'INVALID_ARGUMENT', message)
    assert.equal(counter.reads, 0)
    assert.deepEqual(w.orders.writes, [])
    assert.equal(w.audit.records.size, 0)
  })

  test('refund numbers: A + the id up to 63 characters; a 64-character id still makes one valid, stable number, refunded once', async (t) => {
    captureConsole(t)
    const id63 = 'a'.repeat(63)
    assert.equal(afterSaleRefundNo(id63), `A${id63}`)
    const id64 = 'a'.repeat(64)
    const no = afterSaleRefundNo(id64)
    assert.match(no, OUT_REFUND_NO)
    assert.equal(afterSaleRefundNo(id64), no)
    assert.notEqual(afterSaleRefundNo('b'.repeat(64)), no)
    const w = world(withRequest(id64))
    await decide(w, { afterSaleId: id64 })
    await decide(w, { afterSaleId: id64, requestId: 'decide-req-02' })
    assert.deepEqual(Object.keys(stored(w).refunds), [no])
    assert.equal(stored(w).refunds[no]?.refundFee, 1990)
  })
})
