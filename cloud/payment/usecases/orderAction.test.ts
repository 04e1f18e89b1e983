import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ALREADY_PENDING, FULLY_REFUNDED, NOT_SHIPPED } from '../core/afterSale'
import { CANCELLED_NO_RECEIPT, NOT_YET_SHIPPED, type Fulfilment } from '../core/fulfilment'
import { fen } from '../core/money'
import type { OrderRecord } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { CHANGED, orderAction, REQUEST_REUSED } from './orderAction'

const ORDER = '2026112810000012345678901234'
const SHIPPED_AT = new Date(Date.UTC(2026, 10, 27, 2, 0, 0))
const shipped: Fulfilment = { state: 'SHIPPED', carrier: '顺丰速运', trackingNo: 'SF1234567890', shippedAt: SHIPPED_AT }

function world(overrides: Partial<OrderRecord> = {}): MemoryWorld {
  const w = memoryWorld()
  w.orders.put(storedOrder({ outTradeNo: ORDER, status: 'SUCCESS', transactionId: 'wx-t1', fulfilment: { ...shipped }, ...overrides }, w.clock))
  return w
}

function stored(w: MemoryWorld): OrderRecord {
  const doc = w.orders.docs.get(ORDER)
  assert.ok(doc)
  return doc
}

const confirm = (w: MemoryWorld, openid = 'shopper-1') => orderAction(w, openid, { action: 'confirmReceipt', outTradeNo: ORDER })
const afterSale = (w: MemoryWorld, fields: Record<string, unknown> = {}, openid = 'shopper-1') =>
  orderAction(w, openid, { action: 'afterSale', outTradeNo: ORDER, reason: '杯子有裂纹', requestId: 'as-req-0001', ...fields })

describe('orderAction: confirmReceipt', () => {
  test('a shipped order becomes RECEIVED, confirmed by the shopper, at this moment', async (t) => {
    const out = captureConsole(t)
    const w = world()
    const view = await confirm(w)
    const now = new Date(w.clock.now())
    assert.deepEqual(stored(w).fulfilment, { ...shipped, state: 'RECEIVED', receivedAt: now, autoReceived: false })
    assert.deepEqual(view.fulfilment, {
      state: 'RECEIVED',
      carrier: '顺丰速运',
      trackingNo: 'SF1234567890',
      shippedAt: SHIPPED_AT.toISOString(),
      receivedAt: now.toISOString(),
      autoReceived: false,
    })
    assert.equal(view.actions.confirmReceipt, false)
    assert.equal(view.actions.afterSale, true)
    assert.deepEqual(
      w.orders.writes.map((x) => [x.method, x.changed]),
      [['confirmReceipt', true]],
    )
    assert.deepEqual(out.log, [`order ${ORDER}: received, confirmed by the shopper`])
  })

  test('again on a received order answers it as it is, writing nothing', async (t) => {
    captureConsole(t)
    const w = world()
    await confirm(w)
    w.clock.advance(60_000)
    const again = await confirm(w)
    assert.equal(again.fulfilment?.state, 'RECEIVED')
    assert.equal(again.fulfilment?.receivedAt, new Date(w.clock.now() - 60_000).toISOString())
    assert.equal(w.orders.writes.length, 1)
  })

  test('received by the timer first (the update changes nothing): received all the same', async (t) => {
    const out = captureConsole(t)
    const w = world()
    const confirmReceipt = w.orders.confirmReceipt.bind(w.orders)
    w.orders.confirmReceipt = async (outTradeNo, receipt) => {
      await confirmReceipt(outTradeNo, { at: receipt.at, auto: true })
      return confirmReceipt(outTradeNo, receipt)
    }
    const view = await confirm(w)
    assert.equal(view.fulfilment?.state, 'RECEIVED')
    assert.equal(view.fulfilment?.autoReceived, true)
    assert.deepEqual(out.log, [])
  })

  test('an update that changed nothing while the order still looks shipped is a change to refresh for', async () => {
    const w = world()
    w.orders.confirmReceipt = async () => false
    const error = await refusal(confirm(w), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, CHANGED)
    assert.equal(error.detail, `confirm receipt of ${ORDER} lost a race`)
  })

  test('not shipped yet, cancelled or unpaid: refused in words for each, nothing written', async () => {
    const cases: Array<[Partial<OrderRecord>, string, string]> = [
      [{ fulfilment: { state: 'PENDING' } }, NOT_YET_SHIPPED, 'PENDING'],
      [{ fulfilment: { state: 'CANCELLED' } }, CANCELLED_NO_RECEIPT, 'CANCELLED'],
      [{ status: 'NOTPAY', fulfilment: undefined }, NOT_YET_SHIPPED, 'none'],
    ]
    for (const [overrides, message, state] of cases) {
      const w = world(overrides)
      const error = await refusal(confirm(w), 'ORDER_STATE_CONFLICT')
      assert.equal(error.message, message)
      assert.equal(error.detail, `confirm receipt of ${ORDER}: fulfilment is ${state}`)
      assert.deepEqual(w.orders.writes, [])
    }
  })
})

describe('orderAction: afterSale', () => {
  test('files a PENDING request under its requestId, with the trimmed reason, on a shipped order', async (t) => {
    const out = captureConsole(t)
    const w = world()
    const view = await afterSale(w, { reason: '  杯子有裂纹  ' })
    const now = new Date(w.clock.now())
    assert.deepEqual(stored(w).afterSales, { 'as-req-0001': { id: 'as-req-0001', reason: '杯子有裂纹', state: 'PENDING', createdAt: now } })
    assert.deepEqual(view.afterSales, [
      { id: 'as-req-0001', reason: '杯子有裂纹', state: 'PENDING', createdAt: now.toISOString(), decidedAt: null, reply: null },
    ])
    assert.equal(view.actions.afterSale, false, 'one pending request at a time')
    assert.equal(view.actions.confirmReceipt, true)
    assert.deepEqual(out.log, [`order ${ORDER}: after-sale request as-req-0001 filed`])
  })

  test('on a received order too', async (t) => {
    captureConsole(t)
    const w = world({ fulfilment: { ...shipped, state: 'RECEIVED' } })
    assert.equal((await afterSale(w)).afterSales.length, 1)
  })

  test('a retry with the same requestId files nothing new; with another reason it is refused', async (t) => {
    captureConsole(t)
    const w = world()
    const first = await afterSale(w)
    w.clock.advance(1000)
    assert.deepEqual(await afterSale(w, { reason: ' 杯子有裂纹' }), first)
    const error = await refusal(afterSale(w, { reason: '不想要了' }), 'INVALID_ARGUMENT')
    assert.equal(error.message, REQUEST_REUSED)
    assert.equal(error.detail, 'requestId as-req-0001 was already used with another reason')
    assert.equal(w.orders.writes.length, 1)
    assert.equal(Object.keys(stored(w).afterSales).length, 1)
  })

  test('two retries at once file one request', async (t) => {
    const out = captureConsole(t)
    const w = world()
    const views = await Promise.all([afterSale(w), afterSale(w), afterSale(w)])
    for (const view of views) assert.equal(view.afterSales.length, 1)
    assert.equal(w.orders.writes.filter((x) => x.changed).length, 1)
    assert.equal(out.log.length, 1, 'filed once')
  })

  test('a second request while one is pending is refused; once decided, another may be filed', async (t) => {
    captureConsole(t)
    const w = world()
    await afterSale(w)
    const error = await refusal(afterSale(w, { requestId: 'as-req-0002' }), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, ALREADY_PENDING)
    const decided = stored(w).afterSales['as-req-0001']
    assert.ok(decided)
    decided.state = 'REJECTED'
    assert.equal((await afterSale(w, { requestId: 'as-req-0002', reason: '还是有裂纹' })).afterSales.length, 2)
  })

  test('not shipped, refunded in full or all of it being refunded: refused in words for each, nothing written', async () => {
    const cases: Array<[Partial<OrderRecord>, string]> = [
      [{ fulfilment: { state: 'PENDING' } }, NOT_SHIPPED],
      [{ fulfilment: { state: 'CANCELLED' } }, NOT_SHIPPED],
      [{ status: 'NOTPAY', fulfilment: undefined }, NOT_SHIPPED],
      [{ status: 'REFUND', refundReservedFee: fen(1990), refundedFee: fen(1990) }, FULLY_REFUNDED],
      [{ refundReservedFee: fen(1990) }, FULLY_REFUNDED],
    ]
    for (const [overrides, message] of cases) {
      const w = world(overrides)
      const error = await refusal(afterSale(w), 'ORDER_STATE_CONFLICT')
      assert.equal(error.message, message)
      assert.equal(error.detail, `after-sale on ${ORDER} refused`)
      assert.deepEqual(w.orders.writes, [])
    }
  })

  test('the order changed between the read and the write: refused with why it is now, or as a change', async () => {
    const w = world()
    const file = w.orders.fileAfterSale.bind(w.orders)
    w.orders.fileAfterSale = async (outTradeNo, entry, expect) => {
      stored(w).refundReservedFee = fen(1990) // refunded in full by staff meanwhile
      return file(outTradeNo, entry, expect)
    }
    const error = await refusal(afterSale(w), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, FULLY_REFUNDED)
    assert.equal(error.detail, `after-sale on ${ORDER} lost a race`)
    const quiet = world()
    quiet.orders.fileAfterSale = async () => false
    assert.equal((await refusal(afterSale(quiet), 'ORDER_STATE_CONFLICT')).message, CHANGED)
    const another = world()
    const fileAnother = another.orders.fileAfterSale.bind(another.orders)
    another.orders.fileAfterSale = async (outTradeNo, entry, expect) => {
      await fileAnother(outTradeNo, { ...entry, reason: '别的原因' }, expect)
      return false
    }
    assert.equal((await refusal(afterSale(another), 'INVALID_ARGUMENT')).message, REQUEST_REUSED, 'the same id filed meanwhile with another reason')
  })

  test('the refund cap it is filed against is what was paid', async (t) => {
    captureConsole(t)
    const w = world({ refundReservedFee: fen(1989) })
    const expects: unknown[] = []
    const file = w.orders.fileAfterSale.bind(w.orders)
    w.orders.fileAfterSale = async (outTradeNo, entry, expect) => {
      expects.push(expect)
      return file(outTradeNo, entry, expect)
    }
    await afterSale(w)
    assert.deepEqual(expects, [{ paidFee: 1990 }])
  })

  test('bad input names the field in shopper words and reads nothing, writes nothing', async () => {
    const w = world()
    const get = w.orders.get.bind(w.orders)
    let reads = 0
    w.orders.get = async (no) => (reads++, get(no))
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ reason: '' }, '请填写售后原因'],
      [{ reason: undefined }, '请填写售后原因'],
      [{ reason: '一'.repeat(201) }, '售后原因最多 200 个字'],
      [{ reason: '坏了\n谢谢' }, '售后原因不能换行或包含特殊字符'],
      [{ reason: 7 }, '售后原因格式不正确'],
      [{ requestId: 'short' }, '请求参数有误，请刷新后重试'],
      [{ requestId: undefined }, '请求参数有误，请刷新后重试'],
      [{ requestId: 12345678 }, '请求参数有误，请刷新后重试'],
    ]
    for (const [fields, message] of cases) assert.equal((await refusal(afterSale(w, fields), 'INVALID_ARGUMENT')).message, message, JSON.stringify(fields))
    assert.equal(reads, 0)
    assert.equal((await refusal(afterSale(w, { outTradeNo: 'bad!' }), 'INVALID_ARGUMENT')).message, '订单号有误')
    assert.deepEqual(w.orders.writes, [])
  })
})

describe('orderAction: whose order, which action', () => {
  test('another shopper’s order is ORDER_NOT_FOUND and stays as it was', async () => {
    const w = world()
    await refusal(confirm(w, 'shopper-2'), 'ORDER_NOT_FOUND')
    await refusal(afterSale(w, {}, 'shopper-2'), 'ORDER_NOT_FOUND')
    assert.deepEqual(w.orders.writes, [])
    assert.equal(stored(w).fulfilment?.state, 'SHIPPED')
  })

  test('an unknown action or a malformed event is INVALID_ARGUMENT', async () => {
    const w = world()
    for (const event of [{ action: 'cancel', outTradeNo: ORDER }, { outTradeNo: ORDER }, { action: ['afterSale'] }, null, 'confirmReceipt', { $set: 1 }]) {
      await refusal(orderAction(w, 'shopper-1', event), 'INVALID_ARGUMENT')
    }
    await refusal(orderAction(w, 'shopper-1', { action: 'confirmReceipt' }), 'INVALID_ARGUMENT')
    assert.deepEqual(w.orders.writes, [])
  })
})
