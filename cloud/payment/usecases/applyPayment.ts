import { INITIAL_FULFILMENT } from '../core/fulfilment'
import { decidePaid, type PaidDecision, type PaidFacts } from '../core/payment'
import { INITIAL_STATUS, isPayable, type OrderStatus } from '../core/orderState'
import type { EventDecision, OrderRecord, PaymentEvent } from '../ports'
import type { PayDeps } from './deps'

export type Applied = { decision: EventDecision; reason: string; order: OrderRecord | null }
type Meta = Pick<PaymentEvent, 'kind' | 'source' | 'raw'>

/**
 * Applies "this trade is paid" idempotently. The usual case — an unpaid order, paid in full to
 * this merchant — is one conditional update whose filter holds every check `decidePaid` makes
 * for it (status, amount, merchant: OrderRepository.markPaid), with nothing read first. Only when
 * it matches nothing is the order read, to tell a duplicate, a wrong amount or merchant, an
 * unknown or closed order apart and answer each as before. Racing callers (duplicate callbacks,
 * confirmPayment) learn they lost the same way. Every outcome is recorded in payment_events.
 *
 * `known`: the order as the caller already read it (confirmPayment), so the answer can show it
 * paid without reading it again; without it a payment applied at once answers `order: null`.
 */
export async function applyPaid(deps: PayDeps, facts: PaidFacts, meta: Meta, known?: OrderRecord): Promise<Applied> {
  const patch = { tradeState: 'SUCCESS' as const, transactionId: facts.transactionId, ...(facts.timeEnd ? { timeEnd: facts.timeEnd } : {}) }
  const paidNow = (order: OrderRecord | null): OrderRecord | null =>
    // The same update started the fulfilment (OrderRepository.markPaid).
    order && { ...order, ...patch, status: 'SUCCESS', fulfilment: { state: INITIAL_FULFILMENT } }
  let order: OrderRecord | null = known ?? null
  let decision: PaidDecision = { kind: 'apply' }
  let transition: PaymentEvent['transition']
  const guess = known?.status ?? INITIAL_STATUS
  if (isPayable(guess) && (await deps.orders.markPaid(facts.outTradeNo, guess, facts))) {
    transition = { from: guess, to: 'SUCCESS' }
    order = paidNow(order)
  } else {
    order = await deps.orders.get(facts.outTradeNo)
    decision = decidePaid(order, facts)
    // Payable with the right amount and merchant after all: paid from another status (PAYERROR), or changed meanwhile.
    if (decision.kind === 'apply' && order && order.status !== guess) {
      const from = order.status
      if (await deps.orders.markPaid(facts.outTradeNo, from, facts)) {
        transition = { from, to: 'SUCCESS' }
        order = paidNow(order)
      } else {
        order = await deps.orders.get(facts.outTradeNo)
        decision = decidePaid(order, facts)
      }
    }
  }
  if (transition) console.log(`order ${facts.outTradeNo}: ${transition.from} → SUCCESS (${meta.kind}, transaction ${facts.transactionId})`)
  let late = false
  if (decision.kind === 'late') {
    late = await deps.orders.recordLatePayment(facts.outTradeNo, {
      transactionId: facts.transactionId,
      totalFee: facts.totalFee,
      ...(facts.timeEnd ? { timeEnd: facts.timeEnd } : {}),
    })
    if (late) console.warn(`order ${facts.outTradeNo}: paid after it was closed (transaction ${facts.transactionId}); recorded for a refund`)
    else {
      order = await deps.orders.get(facts.outTradeNo)
      decision = decidePaid(order, facts)
    }
  }
  const result: EventDecision = transition ? 'applied' : late ? 'needs_refund' : decision.kind === 'duplicate' ? 'duplicate' : 'rejected'
  const reason = transition
    ? 'paid'
    : late
      ? 'paid after the order was closed: recorded for a refund'
      : 'reason' in decision
        ? decision.reason
        : 'lost a race and could not apply'
  if (result === 'rejected') console.warn(`order ${facts.outTradeNo}: ${meta.kind} rejected: ${reason}`)
  await deps.events.record({ ...meta, mode: deps.gateway.mode, outTradeNo: facts.outTradeNo, decision: result, reason, ...(transition ? { transition } : {}) })
  return { decision: result, reason, order }
}

/** A gateway-reported end state other than paid (closed, failed): one conditional update from NOTPAY. */
export async function applyUnpaidEnd(deps: PayDeps, order: OrderRecord, to: Extract<OrderStatus, 'CLOSED' | 'PAYERROR'>, meta: Meta): Promise<Applied> {
  const changed = await deps.orders.transition(order.outTradeNo, to, { tradeState: to })
  const latest = await deps.orders.get(order.outTradeNo)
  const decision: EventDecision = changed ? 'applied' : 'no_change'
  await deps.events.record({
    ...meta,
    mode: deps.gateway.mode,
    outTradeNo: order.outTradeNo,
    decision,
    reason: changed ? `gateway reports ${to}` : `gateway reports ${to}, order is ${latest?.status ?? 'gone'}`,
    ...(changed ? { transition: { from: order.status, to } } : {}),
  })
  return { decision, reason: to, order: latest }
}
