import { autoReceiveCutoff } from '../core/fulfilment'
import { canTransition, statusForTradeState } from '../core/orderState'
import { paidFactsOf } from '../core/payment'
import type { ReconcileData } from '../contracts'
import { AppError, explain } from '../errors'
import { optionalInt, parseObject } from '../parse'
import type { EventDecision, OrderRecord } from '../ports'
import { applyPaid, applyUnpaidEnd } from './applyPayment'
import { applyRefund } from './applyRefund'
import { cancelRefundNo, finishCancelRefund } from './cancelRefund'
import { sendRefund } from './sendRefund'
import { uploadShipment } from './staffActions'
import type { PayDeps } from './deps'

/** WeChat refuses to close an order within 5 minutes of creating it. */
export const CLOSE_MIN_AGE_MS = 5 * 60 * 1000
const BATCH = 100
/** Shipping uploads retried per run: each is a call to WeChat, and the run has a timeout. */
export const SHIPPING_UPLOAD_BATCH = 20

export type ReconcileOptions = { unpaidAfterMs: number; refundsAfterMs: number }

/**
 * Brings stored orders in line with the gateway: unpaid orders older than a threshold are asked
 * about and get the truth (paid, closed, failed); expired ones are closed through the gateway —
 * never one the gateway reports paid. Orders shipped AUTO_RECEIVE_DAYS ago count as received;
 * orders cancelled before shipping get the refund a crash left undone; refunds still processing
 * are asked about; shipments WeChat has not accepted yet are uploaded again (oldest first, a
 * bounded number per run). One order's failure is reported and does not stop the others.
 */
export async function reconcile(deps: PayDeps, options: ReconcileOptions, event: unknown): Promise<ReconcileData> {
  const unpaidAfterMs = unpaidAfterOf(options, event)
  const now = deps.clock.now()
  const result: ReconcileData = { checked: 0, paid: [], closed: [], refundsSettled: [], latePayments: [], received: [], shippingUploads: [], errors: [] }
  const meta = (raw: Record<string, unknown>) => ({ source: 'reconcile', raw })

  const failed = (outTradeNo: string, error: unknown): void => {
    console.warn(`reconcile ${outTradeNo}: ${explain(error)}`)
    result.errors.push({ outTradeNo, message: error instanceof Error ? error.message : String(error) })
  }
  for (const order of await deps.orders.listUnpaid(new Date(now - unpaidAfterMs), BATCH)) {
    result.checked++
    try {
      await reconcileUnpaid(deps, order, now, result, meta)
    } catch (error) {
      failed(order.outTradeNo, error)
    }
    await deps.orders.markChecked(order.outTradeNo, 'reconciledAt').catch((error: unknown) => failed(order.outTradeNo, error))
  }
  // Shipped long enough ago: received, unless the shopper confirmed first (one conditional update decides).
  const receivedAt = new Date(now)
  for (const order of await deps.orders.listShippedBefore(autoReceiveCutoff(now), BATCH)) {
    try {
      if (await deps.orders.confirmReceipt(order.outTradeNo, { at: receivedAt, auto: true })) result.received.push(order.outTradeNo)
    } catch (error) {
      failed(order.outTradeNo, error)
    }
  }
  // Cancelled before shipping with no refund in flight: a crash or a lost answer after the
  // cancel left its refund unreserved or unsent. One refused outright needs staff.
  for (const order of await deps.orders.listCancelledUnrefunded(BATCH)) {
    try {
      const after = await finishCancelRefund(deps, order, 'reconcile')
      const entry = after.refunds[cancelRefundNo(order.outTradeNo)]
      if (entry?.status === 'FAILED') {
        throw new AppError('PAY_GATEWAY_ERROR', '取消订单的退款未成功，需要商家处理', {
          detail: `cancel refund ${entry.outRefundNo} failed: ${entry.failure ?? ''}`,
        })
      }
    } catch (error) {
      failed(order.outTradeNo, error)
    }
    await deps.orders.markChecked(order.outTradeNo, 'cancelCheckedAt').catch((error: unknown) => failed(order.outTradeNo, error))
  }
  for (const order of await deps.orders.listPendingShippingUploads(SHIPPING_UPLOAD_BATCH)) {
    try {
      const state = await uploadShipment(deps, order)
      if (state === 'UPLOADED') result.shippingUploads.push(order.outTradeNo)
      if (state === 'FAILED') failed(order.outTradeNo, new Error('WeChat refused the shipping upload; staff must enter it in WeChat'))
    } catch (error) {
      failed(order.outTradeNo, error)
    }
  }
  for (const order of await deps.orders.listWithPendingRefunds(BATCH)) {
    for (const entry of Object.values(order.refunds)) {
      if (entry.status !== 'PROCESSING' || now - entry.createdAt.getTime() < options.refundsAfterMs) continue
      try {
        const found = await deps.gateway.queryRefund(order.outTradeNo, entry.outRefundNo)
        if (!found.found) {
          // Reserved but never arrived (a lost send, a crash before it): send it again.
          // Stryker disable next-line StringLiteral: sendRefund names its source only when it releases a refused first send, and a resend never is one
          await sendRefund(deps, order, entry, false, 'reconcile')
          continue
        }
        const { decision } = await applyRefund(
          deps,
          { outTradeNo: order.outTradeNo, outRefundNo: entry.outRefundNo, refundFee: found.refundFee, status: found.status, mchId: order.mchId },
          { kind: 'refund_query', ...meta({ ...found }) },
        )
        if (decision === 'applied') result.refundsSettled.push(entry.outRefundNo)
      } catch (error) {
        failed(order.outTradeNo, error)
      }
    }
    await deps.orders.markChecked(order.outTradeNo, 'refundsCheckedAt').catch((error: unknown) => failed(order.outTradeNo, error))
  }
  return result
}

/** How old an unpaid order must be to be asked about: the setting, or staff's `olderThanSeconds`; a malformed event is refused. */
function unpaidAfterOf(options: ReconcileOptions, event: unknown): number {
  const input = parseObject(event)
  const overrideSeconds = optionalInt(input, 'olderThanSeconds', 0, 7 * 24 * 3600)
  return overrideSeconds === undefined ? options.unpaidAfterMs : overrideSeconds * 1000
}

async function reconcileUnpaid(
  deps: PayDeps,
  order: OrderRecord,
  now: number,
  result: ReconcileData,
  meta: (raw: Record<string, unknown>) => { source: string; raw: Record<string, unknown> },
): Promise<void> {
  const trade = await deps.gateway.queryOrder(order.outTradeNo)
  const paid = paidFactsOf(order.outTradeNo, trade)
  if (paid) {
    tally(result, order.outTradeNo, (await applyPaid(deps, paid, { kind: 'payment_query', ...meta({ ...trade }) })).decision)
    return
  }
  // Stryker disable next-line ConditionalExpression: `true` is equivalent — a trade the gateway does not know has no state, which maps to no status and is not USERPAYING (`false` is killed, but shares the line)
  if (trade.found) {
    const target = statusForTradeState(trade.tradeState)
    if (target === 'CLOSED') {
      if ((await applyUnpaidEnd(deps, order, 'CLOSED', { kind: 'payment_query', ...meta({ ...trade }) })).decision === 'applied')
        result.closed.push(order.outTradeNo)
      return
    }
    if (trade.tradeState === 'USERPAYING') return // the shopper is paying right now
    if (target === 'PAYERROR' && canTransition(order.status, 'PAYERROR'))
      await applyUnpaidEnd(deps, order, 'PAYERROR', { kind: 'payment_query', ...meta({ ...trade }) })
  }
  if (order.expireAt.getTime() > now) return
  if (trade.found && now - order.createdAt.getTime() < CLOSE_MIN_AGE_MS) return
  // Expired and unpaid: close it at the gateway first, so it can no longer be paid, then here.
  const closing = trade.found ? await deps.gateway.closeOrder(order.outTradeNo) : ({ closed: true } as const)
  if (closing.closed) {
    if (
      (
        await applyUnpaidEnd(deps, order, 'CLOSED', {
          kind: 'close',
          ...meta({ expiredAt: order.expireAt.toISOString(), gateway: trade.found ? 'closed' : 'never prepaid' }),
        })
      ).decision === 'applied'
    ) {
      result.closed.push(order.outTradeNo)
    }
    return
  }
  if (closing.reason === 'paid') {
    // Paid in the meantime: ask again and apply the payment instead of closing.
    const again = await deps.gateway.queryOrder(order.outTradeNo)
    const facts = paidFactsOf(order.outTradeNo, again)
    if (facts) tally(result, order.outTradeNo, (await applyPaid(deps, facts, { kind: 'payment_query', ...meta({ ...again }) })).decision)
    return
  }
  if (closing.reason !== 'too_early') {
    throw new AppError('PAY_GATEWAY_ERROR', '微信支付暂未关闭这笔订单，下次对账时重试', { detail: `close refused: ${closing.detail}` })
  }
}

/** Where a payment found by asking the gateway shows in the run's result. */
function tally(result: ReconcileData, outTradeNo: string, decision: EventDecision): void {
  if (decision === 'applied') result.paid.push(outTradeNo)
  if (decision === 'needs_refund') result.latePayments.push(outTradeNo)
}

/** One run as `reconcile_runs` keeps it: started, and once it ends, what it found. */
export type ReconcileRunRecord = {
  id: string
  trigger: 'timer' | 'staff'
  by: string | null
  startedAt: Date
  finishedAt?: Date
  result?: ReconcileData
}

/**
 * `reconcile_runs` (adapters/reconcileRuns.ts): each run's summary, and the one lease that keeps
 * two runs (the timer's, staff's) from running at once.
 */
export interface ReconcileRuns {
  /** Takes the lease for `holder` until `until` (epoch ms) unless someone else holds it now; true when taken. */
  acquire(holder: string, now: number, until: number): Promise<boolean>
  /** Gives it back, if `holder` still has it. */
  release(holder: string): Promise<void>
  /** Whether someone holds the lease now. */
  held(now: number): Promise<boolean>
  /** Records a run's start; 'exists' when a run with this id was recorded already (nothing written). */
  start(run: ReconcileRunRecord): Promise<'inserted' | 'exists'>
  finish(id: string, finishedAt: Date, result: ReconcileData): Promise<void>
  get(id: string): Promise<ReconcileRunRecord | null>
  /** The run that finished last. */
  last(): Promise<ReconcileRunRecord | null>
}

/** How long a run keeps others off: twice the longest function timeout that runs it (60 s), so a live run is never overlapped. */
export const RECONCILE_LEASE_MS = 2 * 60_000
/** The most errors a run's record keeps (the log has them all). */
export const RECORDED_ERRORS = 50

const EMPTY = (): ReconcileData => ({ checked: 0, paid: [], closed: [], refundsSettled: [], latePayments: [], received: [], shippingUploads: [], errors: [] })

/**
 * Runs reconcile under the lease and records the run: its start, then what it found. When another
 * run holds the lease this one does nothing and answers `busy`. A run that throws is recorded
 * with the error, and the lease is given back either way (a run that dies leaves it to expire).
 */
export async function recordedReconcile(
  deps: PayDeps & { runs: ReconcileRuns },
  options: ReconcileOptions,
  event: unknown,
  run: { id: string; trigger: 'timer' | 'staff'; by: string | null },
): Promise<ReconcileData> {
  unpaidAfterOf(options, event) // a malformed event is refused before it can take the lease
  const now = deps.clock.now()
  if (!(await deps.runs.acquire(run.id, now, now + RECONCILE_LEASE_MS))) {
    console.log(`reconcile ${run.id}: another run is in progress; not started`)
    return { ...EMPTY(), busy: true }
  }
  try {
    await deps.runs.start({ ...run, startedAt: new Date(now) })
    let result: ReconcileData
    try {
      result = await reconcile(deps, options, event)
    } catch (error) {
      await deps.runs.finish(run.id, new Date(deps.clock.now()), { ...EMPTY(), errors: [{ outTradeNo: '', message: explain(error) }] })
      throw error
    }
    await deps.runs.finish(run.id, new Date(deps.clock.now()), { ...result, errors: result.errors.slice(0, RECORDED_ERRORS) })
    return result
  } finally {
    await deps.runs.release(run.id).catch((error: unknown) => console.warn(`reconcile ${run.id}: lease not released (it expires): ${explain(error)}`))
  }
}
