// A paid order's way to the shopper through the local cloud: every fulfilment change walked
// through the real repository (the table below is the specification, written out), a ship
// racing a cancel, the shopper confirming receipt, and the reconcile timer receiving orders
// shipped AUTO_RECEIVE_DAYS ago.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FulfilmentState, OrderStatus, OrderView, ReconcileData } from '../payment/contracts'
import type { OrderRepository } from '../payment/ports'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { markShipped, ordersOf, shipOrder } from '../local/testing/fulfilment'
import { call, cloudPayEnv, data, placeOrder, simPay, simRefunds, storedOrder, waitFor, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
const DAY = 24 * 3600_000
const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)
const message = (r: Result<unknown>): string => (r.ok ? '' : r.error.message)

let cloud: TestCloud
let orders: OrderRepository
let serial = 0

before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
  orders = ordersOf(cloud)
})
after(() => cloud.stop())

async function paidOrder(shopper: string): Promise<string> {
  const { outTradeNo } = await placeOrder(cloud, shopper, [{ goodsId: 'goods-mug', quantity: 1 }])
  assert.equal((await simPay(cloud, outTradeNo)).body.firstAttempt?.acknowledged, true)
  return outTradeNo
}

const view = async (outTradeNo: string, shopper: string): Promise<OrderView> => data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo }, shopper))
const fulfilmentOf = (outTradeNo: string) => storedOrder(cloud, outTradeNo)?.['fulfilment'] as Record<string, unknown> | undefined

describe('the fulfilment table, as the database enforces it', () => {
  // (fulfilment state, order status) → which change each repository method makes.
  const ALLOWED: ReadonlyArray<readonly [FulfilmentState, OrderStatus, 'ship' | 'cancel' | 'receive']> = [
    ['PENDING', 'SUCCESS', 'ship'],
    ['PENDING', 'SUCCESS', 'cancel'],
    ['SHIPPED', 'SUCCESS', 'receive'],
    ['SHIPPED', 'REFUND', 'receive'],
  ]
  const STATES: Array<FulfilmentState | null> = [null, 'PENDING', 'SHIPPED', 'RECEIVED', 'CANCELLED']
  const STATUSES: OrderStatus[] = ['NOTPAY', 'SUCCESS', 'REFUND', 'CLOSED']
  const TARGET = { ship: 'SHIPPED', cancel: 'CANCELLED', receive: 'RECEIVED' } as const

  async function stored(state: FulfilmentState | null, status: OrderStatus): Promise<string> {
    const outTradeNo = `2026112800000000walk${String(++serial).padStart(8, '0')}`
    await cloud.engine.insert('orders', [
      {
        _id: outTradeNo,
        outTradeNo,
        _openid: 'walker',
        items: [],
        totalFee: 500,
        status,
        mode: 'cloudpay',
        mchId: '1900000109',
        refundReservedFee: 0,
        refundedFee: 0,
        refundsPending: 0,
        refunds: {},
        ...(state ? { fulfilment: { state } } : {}),
        createdAt: new Date(0),
        updatedAt: new Date(0),
        expireAt: new Date(0),
      },
    ]).written
    return outTradeNo
  }

  for (const state of STATES)
    for (const status of STATUSES)
      for (const change of ['ship', 'cancel', 'receive'] as const) {
        const expected = ALLOWED.some(([s, st, c]) => s === state && st === status && c === change)
        test(`${change} on ${state ?? 'no fulfilment'} / ${status}: ${expected ? 'one of five racing writers wins' : 'changes nothing'}`, async () => {
          const outTradeNo = await stored(state, status)
          const before = storedOrder(cloud, outTradeNo)
          const at = new Date()
          const results = await Promise.all(
            Array.from({ length: 5 }, (_, i) =>
              change === 'ship'
                ? orders.markShipped(outTradeNo, { carrier: '顺丰速运', trackingNo: `SF${i}`, at })
                : change === 'cancel'
                  ? orders.cancelFulfilment(outTradeNo, at)
                  : orders.confirmReceipt(outTradeNo, { at, auto: false }),
            ),
          )
          if (!expected) {
            assert.equal(results.filter(Boolean).length, 0)
            assert.deepEqual(storedOrder(cloud, outTradeNo), before)
            return
          }
          assert.equal(results.filter(Boolean).length, 1)
          const after = fulfilmentOf(outTradeNo)
          assert.equal(after?.['state'], TARGET[change])
          if (change === 'ship') assert.deepEqual([after?.['carrier'], after?.['shippedAt']], ['顺丰速运', at])
          if (change === 'cancel') assert.deepEqual(after?.['cancelledAt'], at)
          if (change === 'receive') assert.deepEqual([after?.['receivedAt'], after?.['autoReceived']], [at, false])
          assert.equal(storedOrder(cloud, outTradeNo)?.['status'], status, 'the order status is not touched')
        })
      }

  test('an order becomes PENDING in the very update that marks it paid', async () => {
    const outTradeNo = await stored(null, 'NOTPAY')
    assert.equal(await orders.transition(outTradeNo, 'SUCCESS', { tradeState: 'SUCCESS' }), true)
    assert.deepEqual(fulfilmentOf(outTradeNo), { state: 'PENDING' })
    const paid = await orders.get(outTradeNo)
    assert.deepEqual(paid?.fulfilment, { state: 'PENDING' })
    const closed = await stored(null, 'NOTPAY')
    await orders.transition(closed, 'CLOSED', { tradeState: 'CLOSED' })
    assert.equal(fulfilmentOf(closed), undefined)
  })

  test('listed for auto-receive: shipped at or before the cutoff and not yet received, longest shipped first', async () => {
    const cutoff = new Date(Date.UTC(2020, 0, 10))
    const made: string[] = []
    for (const [ms, state] of [
      [Date.UTC(2020, 0, 9), 'SHIPPED'],
      [Date.UTC(2020, 0, 10), 'SHIPPED'],
      [Date.UTC(2020, 0, 10) + 1, 'SHIPPED'],
      [Date.UTC(2020, 0, 1), 'RECEIVED'],
      [Date.UTC(2019, 11, 1), 'SHIPPED'],
    ] as const) {
      const outTradeNo = await stored('PENDING', 'SUCCESS')
      assert.ok(await orders.markShipped(outTradeNo, { carrier: '中通快递', trackingNo: 'ZT1', at: new Date(ms) }))
      if (state === 'RECEIVED') assert.ok(await orders.confirmReceipt(outTradeNo, { at: new Date(ms + 1), auto: false }))
      made.push(outTradeNo)
    }
    const listed = (await orders.listShippedBefore(cutoff, 100)).map((o) => o.outTradeNo).filter((no) => made.includes(no))
    assert.deepEqual(listed, [made[4], made[0], made[1]])
  })
})

describe('a ship racing a cancel', () => {
  const TRIES = 25
  test('exactly one wins, every time: shipped and not refunded, or cancelled, refunded and never shipped', async () => {
    const outcomes = { shipped: 0, cancelled: 0 }
    for (let i = 0; i < TRIES; i++) {
      const outTradeNo = await paidOrder('racer-1')
      // The ship starts a little later each try, sweeping across the cancel's way through the function.
      const ship = new Promise((resolve) => setTimeout(resolve, i * 3)).then(() =>
        markShipped(cloud, outTradeNo, { carrier: '顺丰速运', trackingNo: `SF-race-${i}` }),
      )
      const [shipped, cancel] = await Promise.all([ship, call<OrderView>(cloud, 'cancelOrder', { outTradeNo }, 'racer-1')])
      const state = fulfilmentOf(outTradeNo)?.['state']
      if (shipped) {
        outcomes.shipped++
        assert.equal(state, 'SHIPPED')
        assert.equal(code(cancel), 'ORDER_STATE_CONFLICT')
        assert.match(message(cancel), /申请售后/)
        assert.deepEqual(storedOrder(cloud, outTradeNo)?.['refunds'], {})
        assert.equal(simRefunds(cloud, outTradeNo).length, 0)
      } else {
        outcomes.cancelled++
        assert.equal(state, 'CANCELLED')
        assert.equal(data(cancel).fulfilment?.state, 'CANCELLED')
        assert.equal(fulfilmentOf(outTradeNo)?.['trackingNo'], undefined)
        assert.equal(simRefunds(cloud, outTradeNo).length, 1)
      }
    }
    assert.equal(outcomes.shipped + outcomes.cancelled, TRIES)
  })

  test('shipped first: the cancel is refused pointing to after-sale; cancelled first: it can no longer be shipped', async () => {
    const shippedFirst = await paidOrder('racer-2')
    await shipOrder(cloud, shippedFirst, { carrier: '顺丰速运', trackingNo: 'SF-first' })
    const refused = await call(cloud, 'cancelOrder', { outTradeNo: shippedFirst }, 'racer-2')
    assert.equal(code(refused), 'ORDER_STATE_CONFLICT')
    assert.equal(message(refused), '订单已发货，不能取消；如有问题请申请售后')
    const cancelledFirst = await paidOrder('racer-2')
    data(await call(cloud, 'cancelOrder', { outTradeNo: cancelledFirst }, 'racer-2'))
    assert.equal(await markShipped(cloud, cancelledFirst, { carrier: '顺丰速运', trackingNo: 'SF-late' }), false)
    await assert.rejects(shipOrder(cloud, cancelledFirst, { carrier: '顺丰速运', trackingNo: 'SF-late' }), /fulfilment CANCELLED/)
  })
})

describe('the shopper confirms receipt', () => {
  test('a shipped order becomes RECEIVED; again answers it as it is; the view shows the shipment', async () => {
    const outTradeNo = await paidOrder('rita-1')
    const shippedAt = new Date(Date.now() - 2 * DAY)
    await shipOrder(cloud, outTradeNo, { carrier: '顺丰速运', trackingNo: 'SF1234567890', at: shippedAt })
    const shipped = await view(outTradeNo, 'rita-1')
    assert.deepEqual(shipped.fulfilment, {
      state: 'SHIPPED',
      carrier: '顺丰速运',
      trackingNo: 'SF1234567890',
      shippedAt: shippedAt.toISOString(),
      receivedAt: null,
      autoReceived: false,
    })
    assert.deepEqual(shipped.actions, { pay: false, cancel: false, refund: false, afterSale: true, confirmReceipt: true })
    const received = data(await call<OrderView>(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo }, 'rita-1'))
    assert.equal(received.fulfilment?.state, 'RECEIVED')
    assert.equal(received.fulfilment?.autoReceived, false)
    assert.ok(Date.parse(received.fulfilment?.receivedAt ?? '') > shippedAt.getTime())
    assert.equal(received.actions.confirmReceipt, false)
    const updatedAt = storedOrder(cloud, outTradeNo)?.['updatedAt']
    const again = data(await call<OrderView>(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo }, 'rita-1'))
    assert.deepEqual(again.fulfilment, received.fulfilment)
    assert.deepEqual(storedOrder(cloud, outTradeNo)?.['updatedAt'], updatedAt, 'nothing written')
  })

  test('not yet shipped: refused; another shopper’s order: ORDER_NOT_FOUND; nothing changes', async () => {
    const outTradeNo = await paidOrder('rita-2')
    const early = await call(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo }, 'rita-2')
    assert.equal(code(early), 'ORDER_STATE_CONFLICT')
    assert.equal(message(early), '订单还未发货，暂时不能确认收货')
    await shipOrder(cloud, outTradeNo, { carrier: '顺丰速运', trackingNo: 'SF2' })
    const before = storedOrder(cloud, outTradeNo)
    assert.equal(code(await call(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo }, 'not-rita')), 'ORDER_NOT_FOUND')
    assert.deepEqual(storedOrder(cloud, outTradeNo), before)
  })
})

describe('the reconcile timer receives orders shipped AUTO_RECEIVE_DAYS ago', () => {
  test('shipped ten days ago: RECEIVED, automatically; nine days ago or confirmed already: left alone', async () => {
    const due = await paidOrder('timo-1')
    const notYet = await paidOrder('timo-1')
    const confirmed = await paidOrder('timo-1')
    await shipOrder(cloud, due, { carrier: '中通快递', trackingNo: 'ZT-due', at: new Date(Date.now() - 10 * DAY - 60_000) })
    await shipOrder(cloud, notYet, { carrier: '中通快递', trackingNo: 'ZT-soon', at: new Date(Date.now() - 9 * DAY) })
    await shipOrder(cloud, confirmed, { carrier: '中通快递', trackingNo: 'ZT-done', at: new Date(Date.now() - 11 * DAY) })
    data(await call(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo: confirmed }, 'timo-1'))
    const outcome = await cloud.runner.invoke(
      'reconcile',
      { Type: 'Timer', TriggerName: 'reconcileEveryTenMinutes', Time: new Date().toISOString() },
      { source: 'timer' },
    )
    assert.ok(outcome.ok)
    const result = (outcome.result as { ok: true; data: ReconcileData }).data
    assert.ok(result.received.includes(due), JSON.stringify(result))
    assert.ok(!result.received.includes(notYet) && !result.received.includes(confirmed))
    const received = await view(due, 'timo-1')
    assert.equal(received.fulfilment?.state, 'RECEIVED')
    assert.equal(received.fulfilment?.autoReceived, true)
    assert.equal((await view(notYet, 'timo-1')).fulfilment?.state, 'SHIPPED')
    assert.equal((await view(confirmed, 'timo-1')).fulfilment?.autoReceived, false)
    // The next run finds nothing more to receive.
    const again = data(await call<ReconcileData>(cloud, 'reconcile', {}, STAFF))
    assert.ok(!again.received.includes(due))
  })
})

describe('order numbers', () => {
  test('are 28 digits, the Beijing second of ordering first, and the whole flow takes them', async () => {
    const before = Date.now()
    const { outTradeNo } = await placeOrder(cloud, 'digits-1')
    assert.match(outTradeNo, /^\d{28}$/)
    const beijing = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14)
    assert.ok(outTradeNo.slice(0, 14) >= beijing(before - 1000) && outTradeNo.slice(0, 14) <= beijing(Date.now() + 1000), outTradeNo)
    assert.equal((await simPay(cloud, outTradeNo)).status, 200)
    await waitFor('paid', async () => ((await view(outTradeNo, 'digits-1')).status === 'SUCCESS' ? true : undefined))
  })
})
