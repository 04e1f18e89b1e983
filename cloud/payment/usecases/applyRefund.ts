import type { RefundFacts } from '../core/refund'
import type { EventDecision, OrderRecord, PaymentEvent } from '../ports'
import type { PayDeps } from './deps'

type Meta = Pick<PaymentEvent, 'kind' | 'source' | 'raw'>

/**
 * Applies what WeChat Pay says about a refund: PROCESSING → SUCCESS counts the money back (and
 * the order becomes REFUND once all of it is back), CHANGE/REFUNDCLOSE → FAILED releases the
 * reservation. Each is one conditional update, so duplicates and races change nothing.
 */
export async function applyRefund(deps: PayDeps, facts: RefundFacts, meta: Meta): Promise<{ decision: EventDecision; order: OrderRecord | null }> {
  const order = await deps.orders.get(facts.outTradeNo)
  const entry = order?.refunds[facts.outRefundNo]
  let decision: EventDecision = 'rejected'
  let reason: string
  let transition: PaymentEvent['transition']
  if (!order) reason = `unknown order ${facts.outTradeNo}`
  else if (facts.mchId !== order.mchId) reason = `merchant mismatch: refund from ${facts.mchId}, order belongs to ${order.mchId}`
  else if (!entry) reason = `unknown refund ${facts.outRefundNo}`
  else if (entry.refundFee !== facts.refundFee) reason = `amount mismatch: refund of ${facts.refundFee} fen, requested ${entry.refundFee} fen`
  else if (facts.status === 'PROCESSING') {
    decision = 'no_change'
    reason = 'still processing'
  } else {
    const outcome = facts.status === 'SUCCESS' ? ({ status: 'SUCCESS' } as const) : ({ status: 'FAILED', failure: `refund ${facts.status}` } as const)
    if (await deps.orders.settleRefund(facts.outTradeNo, facts.outRefundNo, entry.refundFee, outcome)) {
      decision = 'applied'
      reason = `refund ${facts.outRefundNo} ${outcome.status}${entry.status === 'FAILED' ? ' (it had been marked failed)' : ''}`
      console.log(`order ${facts.outTradeNo}: refund ${facts.outRefundNo} ${outcome.status} (${entry.refundFee} fen)`)
    } else {
      const latest = await deps.orders.get(facts.outTradeNo)
      const now = latest?.refunds[facts.outRefundNo]?.status
      decision = now === outcome.status ? 'duplicate' : 'rejected'
      reason = decision === 'duplicate' ? `refund already ${now}` : `refund is ${now ?? 'gone'}, cannot become ${outcome.status}`
    }
    // Idempotent, so also on a duplicate: a crash after the refund was counted must not leave
    // a fully refunded order in SUCCESS forever.
    if (
      outcome.status === 'SUCCESS' &&
      decision !== 'rejected' &&
      (await deps.orders.transition(facts.outTradeNo, 'REFUND', { tradeState: 'REFUND' }, { refundedFee: order.totalFee }))
    )
      transition = { from: 'SUCCESS', to: 'REFUND' }
  }
  if (decision === 'rejected') console.warn(`order ${facts.outTradeNo}: ${meta.kind} rejected: ${reason}`)
  if (decision !== 'no_change' || meta.kind === 'refund_notify') {
    await deps.events.record({ ...meta, mode: deps.gateway.mode, outTradeNo: facts.outTradeNo, decision, reason, ...(transition ? { transition } : {}) })
  }
  return { decision, order: await deps.orders.get(facts.outTradeNo) }
}
