import { INITIAL_FULFILMENT } from '../core/fulfilment'
import { decidePaid, type PaidFacts } from '../core/payment'
import type { OrderStatus } from '../core/orderState'
import type { EventDecision, OrderRecord, PaymentEvent } from '../ports'
import type { PayDeps } from './deps'

export type Applied = { decision: EventDecision; reason: string; order: OrderRecord | null }
type Meta = Pick<PaymentEvent, 'kind' | 'source' | 'raw'>

/**
 * Applies "this trade is paid" idempotently: one conditional update NOTPAY|PAYERROR → SUCCESS.
 * Racing callers (duplicate callbacks, confirmPayment) re-read after losing and learn it was a
 * duplicate. Every outcome is recorded in payment_events.
 */
export async function applyPaid(deps: PayDeps, facts: PaidFacts, meta: Meta): Promise<Applied> {
  let order = await deps.orders.get(facts.outTradeNo)
  let decision = decidePaid(order, facts)
  let transition: PaymentEvent['transition']
  if (decision.kind === 'apply' && order) {
    const from = order.status
    const patch = { tradeState: 'SUCCESS' as const, transactionId: facts.transactionId, ...(facts.timeEnd ? { timeEnd: facts.timeEnd } : {}) }
    if (await deps.orders.transition(facts.outTradeNo, 'SUCCESS', patch)) {
      transition = { from, to: 'SUCCESS' }
      // The same update started the fulfilment (OrderRepository.transition).
      order = { ...order, ...patch, status: 'SUCCESS', fulfilment: { state: INITIAL_FULFILMENT } }
      console.log(`order ${facts.outTradeNo}: ${from} → SUCCESS (${meta.kind}, transaction ${facts.transactionId})`)
    } else {
      order = await deps.orders.get(facts.outTradeNo)
      decision = decidePaid(order, facts)
    }
  }
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
