// The fault campaign: each scenario drives one order through a fault the way a shopper, WeChat
// Pay and ops would (retries, callbacks, reconciliation), then the checker counts what must
// never happen. Used by the tests (a few runs each) and by `npm run reliability` (many runs,
// written to docs/reliability.md).
import type { GatewayFault, CallbackFault, DbFault } from '../faults/spec'
import type { TestCloud } from './harness'
import { backdate, call, DELIVERY_ADDRESS, notifications, paymentEvents, simPay, simRefunds, storedOrder, waitFor, type Result } from './shop'

export type Mode = 'cloudpay' | 'merchant'
export const STAFF = 'staff-1'

export type Anomalies = { ordersLost: number; doubleTransitions: number; wrongStates: number; refundsPaidTwice: number; unrecordedNotifications: number }
export type Tally = Anomalies & { scenario: string; mode: Mode; runs: number; faultsFired: number }

type Expectation = { outTradeNo: string; status: 'SUCCESS' | 'REFUND' | 'CLOSED' | 'NOTPAY'; paid: boolean }
export type Scenario = { name: string; modes: readonly Mode[]; run(cloud: TestCloud, mode: Mode, tag: string): Promise<Expectation[]> }

const ITEMS = [{ goodsId: 'goods-ginger-tea', quantity: 1 }]

function addFaults(cloud: TestCloud, faults: { gateway?: GatewayFault[]; callbacks?: CallbackFault[]; db?: DbFault[] }): void {
  cloud.faults.add(faults)
}

let checkouts = 0

/**
 * A shopper's checkout with a client request id, retried like the app does after an error. Every
 * other checkout sends the app's dated id (`<Date.now() base36>-…`: the order number derived from
 * it, one insert), the others a plain one (claimed in order_requests first): both paths take the faults.
 */
async function checkout(cloud: TestCloud, openid: string, tag: string, tries = 4): Promise<string> {
  const requestId = checkouts++ % 2 === 0 ? `${Date.now().toString(36)}-${tag}` : tag
  let last: Result<{ outTradeNo: string }> | undefined
  for (let i = 0; i < tries; i++) {
    last = await call<{ outTradeNo: string }>(cloud, 'createOrder', { items: ITEMS, requestId, address: DELIVERY_ADDRESS }, openid).catch((error: Error) => ({
      ok: false as const,
      error: { code: 'TRANSPORT', message: error.message },
    }))
    if (last.ok) return last.data.outTradeNo
  }
  throw new Error(`checkout never succeeded: ${JSON.stringify(last)}`)
}

async function settled(cloud: TestCloud, outTradeNo: string, status: string): Promise<void> {
  await waitFor(`${outTradeNo} to become ${status}`, () => (storedOrder(cloud, outTradeNo)?.['status'] === status ? true : undefined), 8000)
}

async function confirmUntil(cloud: TestCloud, openid: string, outTradeNo: string, status: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const result = await call<{ status: string }>(cloud, 'confirmPayment', { outTradeNo }, openid)
    if (result.ok && result.data.status === status) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`confirmPayment never saw ${status} for ${outTradeNo}`)
}

async function refundUntilAccepted(cloud: TestCloud, outTradeNo: string, refundFee: number, outRefundNo: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const result = await call(cloud, 'refundOrder', { outTradeNo, refundFee, outRefundNo }, STAFF)
    if (result.ok) return
  }
  throw new Error(`refund ${outRefundNo} never accepted`)
}

const gatewayOnCreate = (fault: GatewayFault['fault'], extra: Partial<GatewayFault> = {}): Scenario => ({
  name: `gateway ${fault}${extra.holdMs ? ` (${extra.holdMs} ms)` : ''} on unifiedOrder; the shopper retries`,
  modes: ['cloudpay', 'merchant'],
  async run(cloud, mode, tag) {
    addFaults(cloud, { gateway: [{ api: 'unifiedOrder', fault, mode, ...extra }] })
    const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
    await simPay(cloud, outTradeNo)
    await settled(cloud, outTradeNo, 'SUCCESS')
    return [{ outTradeNo, status: 'SUCCESS', paid: true }]
  },
})

export const SCENARIOS: Scenario[] = [
  gatewayOnCreate('reset'),
  gatewayOnCreate('lost_answer'),
  gatewayOnCreate('timeout', { holdMs: 300 }),
  gatewayOnCreate('http500'),
  gatewayOnCreate('systemerror'),
  {
    name: 'gateway faults on orderquery while every callback is dropped; confirmPayment retried',
    modes: ['cloudpay', 'merchant'],
    async run(cloud, mode, tag) {
      const openid = `shopper-${tag}`
      const outTradeNo = await checkout(cloud, openid, `req-${tag}`)
      addFaults(cloud, {
        callbacks: [{ fault: 'drop', times: 16, kind: 'payment' }],
        gateway: [
          { api: 'queryOrder', fault: 'reset', mode },
          { api: 'queryOrder', fault: 'systemerror', mode },
        ],
      })
      await simPay(cloud, outTradeNo)
      await confirmUntil(cloud, openid, outTradeNo, 'SUCCESS')
      return [{ outTradeNo, status: 'SUCCESS', paid: true }]
    },
  },
  {
    name: 'closeorder answers ORDERPAID for an expired order; reconcile closes it only later',
    modes: ['cloudpay', 'merchant'],
    async run(cloud, mode, tag) {
      const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
      await backdate(cloud, outTradeNo, 3 * 3_600_000, 3_600_000)
      await new Promise((resolve) => setTimeout(resolve, 350)) // the simulator's scaled 5-minute rule
      addFaults(cloud, { gateway: [{ api: 'closeOrder', fault: 'orderpaid', mode }] })
      await call(cloud, 'reconcile', { olderThanSeconds: 0 }, STAFF)
      if (storedOrder(cloud, outTradeNo)?.['status'] !== 'NOTPAY') throw new Error('closed although the gateway said paid')
      await call(cloud, 'reconcile', { olderThanSeconds: 0 }, STAFF)
      return [{ outTradeNo, status: 'CLOSED', paid: false }]
    },
  },
  ...(['lost_answer', 'reset', 'systemerror'] as const).map((fault): Scenario => ({
    name: `gateway ${fault} on refund; staff retries with the same outRefundNo`,
    modes: ['cloudpay', 'merchant'],
    async run(cloud, mode, tag) {
      const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
      await simPay(cloud, outTradeNo)
      await settled(cloud, outTradeNo, 'SUCCESS')
      addFaults(cloud, { gateway: [{ api: 'refund', fault, mode }] })
      const total = Number(storedOrder(cloud, outTradeNo)?.['totalFee'])
      await refundUntilAccepted(cloud, outTradeNo, total, `RF-${tag}`)
      await settled(cloud, outTradeNo, 'REFUND')
      return [{ outTradeNo, status: 'REFUND', paid: true }]
    },
  })),
  ...(['drop', 'duplicate'] as const).map((fault): Scenario => ({
    name: `payment callback ${fault === 'drop' ? 'dropped (twice)' : 'duplicated'}`,
    modes: ['cloudpay', 'merchant'],
    async run(cloud, _mode, tag) {
      const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
      addFaults(cloud, { callbacks: [{ fault, times: fault === 'drop' ? 2 : 1, kind: 'payment' }] })
      await simPay(cloud, outTradeNo)
      await settled(cloud, outTradeNo, 'SUCCESS')
      return [{ outTradeNo, status: 'SUCCESS', paid: true }]
    },
  })),
  {
    name: 'payment callbacks delayed and reordered (two orders)',
    modes: ['cloudpay', 'merchant'],
    async run(cloud, _mode, tag) {
      const first = await checkout(cloud, `shopper-${tag}`, `req-${tag}-a`)
      const second = await checkout(cloud, `shopper-${tag}`, `req-${tag}-b`)
      addFaults(cloud, { callbacks: [{ fault: 'delay', delayMs: 150, kind: 'payment' }] })
      await Promise.all([simPay(cloud, first), new Promise((resolve) => setTimeout(resolve, 20)).then(() => simPay(cloud, second))])
      await settled(cloud, first, 'SUCCESS')
      await settled(cloud, second, 'SUCCESS')
      return [first, second].map((outTradeNo) => ({ outTradeNo, status: 'SUCCESS' as const, paid: true }))
    },
  },
  {
    name: 'refund callback dropped (all attempts); reconcile asks the gateway',
    modes: ['cloudpay', 'merchant'],
    async run(cloud, _mode, tag) {
      const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
      await simPay(cloud, outTradeNo)
      await settled(cloud, outTradeNo, 'SUCCESS')
      addFaults(cloud, { callbacks: [{ fault: 'drop', times: 16, kind: 'refund' }] })
      await refundUntilAccepted(cloud, outTradeNo, Number(storedOrder(cloud, outTradeNo)?.['totalFee']), `RF-${tag}`)
      await new Promise((resolve) => setTimeout(resolve, 60))
      await cloud.engine.update('orders', { _id: outTradeNo }, { $set: { [`refunds.RF-${tag}.createdAt`]: new Date(Date.now() - 3_600_000) } }, false).written
      await call(cloud, 'reconcile', { olderThanSeconds: 0 }, STAFF)
      return [{ outTradeNo, status: 'REFUND', paid: true }]
    },
  },
  {
    name: 'database error while payNotify applies the payment; WeChat retries',
    modes: ['cloudpay', 'merchant'],
    async run(cloud, _mode, tag) {
      const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
      addFaults(cloud, { db: [{ fault: 'error', action: 'database.modifyDocument', collection: 'orders' }] })
      await simPay(cloud, outTradeNo)
      await settled(cloud, outTradeNo, 'SUCCESS')
      return [{ outTradeNo, status: 'SUCCESS', paid: true }]
    },
  },
  {
    name: 'database error while createOrder writes the order; the shopper retries',
    modes: ['cloudpay', 'merchant'],
    async run(cloud, _mode, tag) {
      addFaults(cloud, { db: [{ fault: 'error', action: 'database.insertDocument', collection: 'orders' }] })
      const outTradeNo = await checkout(cloud, `shopper-${tag}`, `req-${tag}`)
      await simPay(cloud, outTradeNo)
      await settled(cloud, outTradeNo, 'SUCCESS')
      return [{ outTradeNo, status: 'SUCCESS', paid: true }]
    },
  },
]

/** Counts what must never happen for the orders a scenario touched. */
export async function check(cloud: TestCloud, expected: Expectation[]): Promise<Anomalies> {
  const a: Anomalies = { ordersLost: 0, doubleTransitions: 0, wrongStates: 0, refundsPaidTwice: 0, unrecordedNotifications: 0 }
  for (const e of expected) {
    const order = storedOrder(cloud, e.outTradeNo)
    if (!order) {
      a.ordersLost++
      continue
    }
    const events = paymentEvents(cloud, e.outTradeNo)
    const toSuccess = events.filter((x) => (x['transition'] as { to?: string } | undefined)?.to === 'SUCCESS').length
    const toRefund = events.filter((x) => (x['transition'] as { to?: string } | undefined)?.to === 'REFUND').length
    if (toSuccess > 1 || toRefund > 1) a.doubleTransitions++
    if (order['status'] !== e.status) a.wrongStates++
    const trade = cloud.engine.find('_sim_trades', { outTradeNo: e.outTradeNo }, { limit: 10 })
    const gatewayPaid = trade.some((t) => t['transactionId'] !== undefined && t['tradeState'] !== 'NOTPAY' && t['tradeState'] !== 'CLOSED')
    if (gatewayPaid !== e.paid) a.wrongStates++
    const refunds = simRefunds(cloud, e.outTradeNo)
    const byNo = new Map<string, number>()
    for (const r of refunds) byNo.set(String(r['outRefundNo']), (byNo.get(String(r['outRefundNo'])) ?? 0) + 1)
    const refunded = refunds.reduce((sum, r) => sum + Number(r['refundFee']), 0)
    if ([...byNo.values()].some((n) => n > 1) || refunded > Number(order['totalFee'])) a.refundsPaidTwice++
    // Every delivery that reached the function is on record (dropped ones never reached it).
    const delivered = (await notifications(cloud, e.outTradeNo)).reduce(
      (n, x) => n + (x.attempts as Array<{ error?: string }>).filter((at) => !String(at.error ?? '').includes('injected')).length,
      0,
    )
    const recorded = events.filter((x) => String(x['kind']).endsWith('_notify')).length
    if (recorded < delivered) a.unrecordedNotifications++
  }
  return a
}

let runCounter = 0

export async function runScenario(cloud: TestCloud, scenario: Scenario, mode: Mode, runs: number, prefix: string): Promise<Tally> {
  const tally: Tally = {
    scenario: scenario.name,
    mode,
    runs: 0,
    faultsFired: 0,
    ordersLost: 0,
    doubleTransitions: 0,
    wrongStates: 0,
    refundsPaidTwice: 0,
    unrecordedNotifications: 0,
  }
  for (let i = 0; i < runs; i++) {
    cloud.faults.clear()
    // Every run is its own shopper with its own request ids.
    const expected = await scenario.run(cloud, mode, `${prefix}-${mode}-${++runCounter}-${i}`)
    tally.faultsFired += cloud.faults.list().reduce((n, f) => n + f.fired, 0)
    cloud.faults.clear()
    const anomalies = await check(cloud, expected)
    for (const key of Object.keys(anomalies) as Array<keyof Anomalies>) tally[key] += anomalies[key]
    tally.runs++
  }
  return tally
}

/**
 * After everything: one reconciliation, then no paid order may look unpaid and no unpaid order
 * may look paid, anywhere in the database.
 */
export async function reconcileAndAudit(cloud: TestCloud): Promise<{ orders: number; paidButUnpaid: number; unpaidButPaid: number }> {
  const all = cloud.engine.find('orders', {}, { limit: 100_000 })
  for (const order of all) if (order['status'] === 'NOTPAY' || order['status'] === 'PAYERROR') await backdate(cloud, String(order['_id']), 20 * 60_000)
  const result = await call(cloud, 'reconcile', { olderThanSeconds: 0 }, STAFF)
  if (!result.ok) throw new Error(`reconcile failed: ${result.error.message}`)
  let paidButUnpaid = 0
  let unpaidButPaid = 0
  for (const order of cloud.engine.find('orders', {}, { limit: 100_000 })) {
    const trades = cloud.engine.find('_sim_trades', { outTradeNo: order['_id'] }, { limit: 10 })
    const gatewayPaid = trades.some((t) => t['transactionId'] !== undefined)
    const locallyPaid = order['status'] === 'SUCCESS' || order['status'] === 'REFUND' || order['latePayment'] !== undefined
    if (gatewayPaid && !locallyPaid) paidButUnpaid++
    if (locallyPaid && !gatewayPaid) unpaidButPaid++
  }
  return { orders: all.length, paidButUnpaid, unpaidButPaid }
}
