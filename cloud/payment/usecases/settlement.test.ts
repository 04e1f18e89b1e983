// WeChat's trade_manage_order_settlement push (the shopper, or WeChat when the period ran out,
// confirmed receipt) on the in-memory ports: which pushes move a shipped order to RECEIVED, which
// are ignored and left the order as it was, and who is refused.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Fulfilment } from '../core/fulfilment'
import type { OrderRecord } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { applySettlement, isSettlementEvent, SETTLEMENT_EVENT } from './settlement'

const NO = '2026112810000012345678905555'
const OTHER_NO = '2026112810000012345678900000'
const MCH = '1900000109'

/** A paid order, shipped an hour before the world's now (a whole second, as WeChat's times are). */
function shippedWorld(overrides: Partial<OrderRecord> = {}): MemoryWorld & { shippedAt: number } {
  const w = memoryWorld()
  const shippedAt = w.clock.now() - 3600_000
  w.orders.put(
    storedOrder(
      {
        outTradeNo: NO,
        status: 'SUCCESS',
        transactionId: 'wx-t9',
        fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1', shippedAt: new Date(shippedAt) } as Fulfilment,
        ...overrides,
      },
      w.clock,
    ),
  )
  return Object.assign(w, { shippedAt })
}

const push = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  ToUserName: 'gh_shop',
  MsgType: 'event',
  Event: SETTLEMENT_EVENT,
  transaction_id: 'wx-t9',
  merchant_id: MCH,
  merchant_trade_no: NO,
  confirm_receive_method: 2,
  ...fields,
})

const stored = (w: MemoryWorld): OrderRecord | undefined => w.orders.docs.get(NO)
const seconds = (ms: number): number => Math.floor(ms / 1000)

describe('isSettlementEvent: recognises the push by its shape', () => {
  test('the settlement push is; other events, other messages and non-objects are not (and none of them throws)', () => {
    assert.equal(isSettlementEvent(push()), true)
    assert.equal(isSettlementEvent({ Event: 'trade_manage_order_settlement' }), true)
    for (const other of [
      { ...push(), Event: 'trade_manage_remind_shipping' },
      { MsgType: 'event' },
      {},
      [],
      null,
      undefined,
      'trade_manage_order_settlement',
      42,
    ])
      assert.equal(isSettlementEvent(other), false, JSON.stringify(other) ?? String(other))
  })
})

describe('applySettlement: the platform’s push (no OPENID)', () => {
  test('SHIPPED → RECEIVED at WeChat’s stated time; a repeat changes nothing and answers already', async (t) => {
    captureConsole(t)
    const w = shippedWorld()
    const at = seconds(w.clock.now() - 60_000)
    assert.deepEqual(await applySettlement(w, null, push({ confirm_receive_time: at })), { outTradeNo: NO, outcome: 'received' })
    assert.deepEqual(stored(w)?.fulfilment, {
      state: 'RECEIVED',
      carrier: 'SF',
      trackingNo: 'SF1',
      shippedAt: new Date(w.shippedAt),
      receivedAt: new Date(at * 1000),
      autoReceived: false,
    })
    const after = structuredClone(stored(w))
    w.clock.advance(60_000)
    assert.deepEqual(await applySettlement(w, null, push({ confirm_receive_method: 1 })), { outTradeNo: NO, outcome: 'already' })
    assert.deepEqual(stored(w), after, 'the first confirmation stands: not re-dated, not made automatic')
    assert.equal(w.orders.writes.length, 1)
  })

  test('method 1 from the platform is WeChat’s automatic confirmation; any other method is the shopper’s', async (t) => {
    captureConsole(t)
    const auto = shippedWorld()
    await applySettlement(auto, null, push({ confirm_receive_method: 1 }))
    assert.equal(stored(auto)?.fulfilment?.autoReceived, true)
    for (const method of [2, '1', undefined]) {
      const w = shippedWorld()
      assert.equal((await applySettlement(w, null, push({ confirm_receive_method: method }))).outcome, 'received')
      assert.equal(stored(w)?.fulfilment?.autoReceived, false, `method ${String(method)}`)
    }
  })

  test('the confirm time is WeChat’s when it is between shipping and now (both ends included), else now', async (t) => {
    captureConsole(t)
    const received = async (time: unknown): Promise<number | undefined> => {
      const w = shippedWorld()
      assert.equal((await applySettlement(w, null, push({ confirm_receive_time: time }))).outcome, 'received')
      return stored(w)?.fulfilment?.receivedAt?.getTime()
    }
    const w = shippedWorld()
    const now = w.clock.now()
    assert.equal(await received(seconds(w.shippedAt)), w.shippedAt, 'the very second it shipped')
    assert.equal(await received(seconds(now)), now, 'this very second')
    assert.equal(await received(seconds(w.shippedAt) + 1), w.shippedAt + 1000)
    // Not sane: before it shipped, in the future, not whole seconds, not a number, missing.
    assert.equal(await received(seconds(w.shippedAt) - 1), now)
    assert.equal(await received(0), now)
    assert.equal(await received(seconds(now) + 3600), now)
    assert.equal(await received(seconds(now) - 0.5), now)
    assert.equal(await received(String(seconds(now) - 60)), now)
    assert.equal(await received(null), now)
    assert.equal(await received(undefined), now)
  })

  test('an order shipped before shipping times were kept: received, at WeChat’s time when it is not in the future', async (t) => {
    captureConsole(t)
    const w = shippedWorld({ fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1' } })
    const at = seconds(w.clock.now() - 86_400_000)
    assert.deepEqual(await applySettlement(w, null, push({ confirm_receive_time: at })), { outTradeNo: NO, outcome: 'received' })
    assert.equal(stored(w)?.fulfilment?.receivedAt?.getTime(), at * 1000)
  })

  test('no merchant id (absent, empty, not a string): judged by the transaction id alone', async (t) => {
    captureConsole(t)
    for (const merchant of [undefined, '', 1900000999]) {
      const w = shippedWorld()
      assert.deepEqual(await applySettlement(w, null, push({ merchant_id: merchant })), { outTradeNo: NO, outcome: 'received' }, String(merchant))
      assert.equal(stored(w)?.fulfilment?.state, 'RECEIVED')
    }
  })
})

describe('applySettlement: pushes that are ignored leave the order as it was', () => {
  /** Applies the push to a fresh world and checks it was ignored with nothing written; returns the warnings. */
  async function ignored(t: Parameters<typeof captureConsole>[0], event: Record<string, unknown>, setup: Partial<OrderRecord> = {}): Promise<string[]> {
    const logs = captureConsole(t)
    const w = shippedWorld(setup)
    const before = structuredClone(stored(w))
    const answer = await applySettlement(w, null, event)
    assert.equal(answer.outcome, 'ignored', JSON.stringify(event))
    assert.deepEqual(stored(w), before)
    assert.deepEqual(w.orders.writes, [], 'not even a conditional update is tried')
    return logs.warn
  }

  test('another transaction: the push is not about this payment (the transaction-id check)', async (t) => {
    const warn = await ignored(t, push({ transaction_id: 'wx-other' }))
    assert.ok(
      warn.some((line) => line.includes(NO)),
      'the operator can find the order in the log',
    )
    await ignored(t, push({ transaction_id: undefined }))
    await ignored(t, push({ transaction_id: '' }))
    // An order that has no transaction id matches no push that names one.
    await ignored(t, push(), { transactionId: undefined })
  })

  test('another merchant: the push is for someone else’s shop (the merchant check)', async (t) => {
    const warn = await ignored(t, push({ merchant_id: '1900000999' }))
    assert.ok(warn.some((line) => line.includes(NO)))
    await ignored(t, push({ merchant_id: ` ${MCH}` }))
  })

  test('not one of our order numbers: ignored without naming an order, and nothing is looked up', async (t) => {
    captureConsole(t)
    for (const number of ['../orders', 'a b', 12345678, { $ne: null }, undefined, '']) {
      const w = shippedWorld()
      let reads = 0
      const get = w.orders.get.bind(w.orders)
      w.orders.get = async (no) => (reads++, get(no))
      assert.deepEqual(await applySettlement(w, null, push({ merchant_trade_no: number })), { outTradeNo: null, outcome: 'ignored' })
      // Even from a caller with an OPENID: nothing to check it against, nothing refused.
      assert.deepEqual(await applySettlement(w, 'shopper-2', push({ merchant_trade_no: number })), { outTradeNo: null, outcome: 'ignored' })
      assert.equal(reads, 0)
    }
  })

  test('an unknown order: ignored under its number', async (t) => {
    const logs = captureConsole(t)
    const w = shippedWorld()
    assert.deepEqual(await applySettlement(w, null, push({ merchant_trade_no: OTHER_NO })), { outTradeNo: OTHER_NO, outcome: 'ignored' })
    assert.deepEqual(w.orders.writes, [])
    assert.ok(logs.warn.some((line) => line.includes(OTHER_NO)))
  })

  test('not shipped: paid but not yet shipped, cancelled, or unpaid without any fulfilment', async (t) => {
    const pending = await ignored(t, push(), { fulfilment: { state: 'PENDING' } })
    assert.ok(pending.some((line) => line.includes(NO)))
    await ignored(t, push(), { fulfilment: { state: 'CANCELLED', cancelledAt: new Date(0) } })
    await ignored(t, push(), { status: 'NOTPAY', fulfilment: undefined })
  })
})

describe('applySettlement: a call with an OPENID (a client, or a push that carries the user’s)', () => {
  test('anyone but the payer is FORBIDDEN and the order is untouched (the payer check)', async (t) => {
    captureConsole(t)
    const w = shippedWorld()
    const before = structuredClone(stored(w))
    for (const who of ['shopper-2', 'staff-1', '']) await refusal(applySettlement(w, who, push({ confirm_receive_method: 1 })), 'FORBIDDEN')
    assert.deepEqual(stored(w), before)
    assert.deepEqual(w.orders.writes, [])
  })

  test('an unknown order is FORBIDDEN too, so a caller learns nothing about which orders exist', async (t) => {
    captureConsole(t)
    const w = shippedWorld()
    await refusal(applySettlement(w, 'shopper-1', push({ merchant_trade_no: OTHER_NO })), 'FORBIDDEN')
  })

  test('the payer’s own order: their confirmation, never WeChat’s automatic one; still only on matching facts', async (t) => {
    captureConsole(t)
    const w = shippedWorld()
    assert.deepEqual(await applySettlement(w, 'shopper-1', push({ transaction_id: 'wx-other' })), { outTradeNo: NO, outcome: 'ignored' })
    assert.deepEqual(await applySettlement(w, 'shopper-1', push({ merchant_id: '1900000999' })), { outTradeNo: NO, outcome: 'ignored' })
    assert.equal(stored(w)?.fulfilment?.state, 'SHIPPED')
    assert.deepEqual(await applySettlement(w, 'shopper-1', push({ confirm_receive_method: 1 })), { outTradeNo: NO, outcome: 'received' })
    assert.equal(stored(w)?.fulfilment?.state, 'RECEIVED')
    assert.equal(stored(w)?.fulfilment?.autoReceived, false)
  })
})

describe('applySettlement: racing another change of the order', () => {
  /** A world where, just before the push's conditional update, the stored fulfilment becomes `meanwhile`. */
  function racing(meanwhile: Fulfilment): MemoryWorld {
    const w = shippedWorld()
    const confirm = w.orders.confirmReceipt.bind(w.orders)
    w.orders.confirmReceipt = async (no, fields) => {
      const doc = w.orders.docs.get(no)
      if (doc) doc.fulfilment = structuredClone(meanwhile)
      return confirm(no, fields)
    }
    return w
  }

  test('the shopper confirmed in the meantime: already, and their confirmation stands', async (t) => {
    captureConsole(t)
    const theirs: Fulfilment = { state: 'RECEIVED', carrier: 'SF', trackingNo: 'SF1', receivedAt: new Date(0), autoReceived: false }
    const w = racing(theirs)
    assert.deepEqual(await applySettlement(w, null, push({ confirm_receive_method: 1 })), { outTradeNo: NO, outcome: 'already' })
    assert.deepEqual(stored(w)?.fulfilment, theirs)
  })

  test('the fulfilment was cancelled in the meantime: ignored, still cancelled', async (t) => {
    captureConsole(t)
    const w = racing({ state: 'CANCELLED', cancelledAt: new Date(0) })
    assert.deepEqual(await applySettlement(w, null, push()), { outTradeNo: NO, outcome: 'ignored' })
    assert.equal(stored(w)?.fulfilment?.state, 'CANCELLED')
  })
})
