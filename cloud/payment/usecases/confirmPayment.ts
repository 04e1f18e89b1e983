import { toOrderView } from '../core/orderView'
import { canTransition, isPaid, statusForTradeState } from '../core/orderState'
import { paidFactsOf } from '../core/payment'
import type { OrderView } from '../contracts'
import { parseObject } from '../parse'
import { applyPaid, applyUnpaidEnd } from './applyPayment'
import type { PayDeps } from './deps'
import { loadOwnOrder } from './queryOrder'

/** Asks the gateway for the truth (never the client's "success") and applies it. */
export async function confirmPayment(deps: PayDeps, openid: string, event: unknown): Promise<OrderView> {
  let order = await loadOwnOrder(deps, openid, parseObject(event)['outTradeNo'])
  const trade = await deps.gateway.queryOrder(order.outTradeNo)
  const meta = { kind: 'payment_query' as const, source: 'confirmPayment', raw: { ...trade } }
  const paid = paidFactsOf(order.outTradeNo, trade)
  if (paid) {
    if (!isPaid(order.status)) order = (await applyPaid(deps, paid, meta, order)).order ?? order
  } else if (
    // Stryker disable next-line ConditionalExpression: a trade not found has no trade state, and no trade state maps to no status
    trade.found
  ) {
    const target = statusForTradeState(trade.tradeState)
    if ((target === 'CLOSED' || target === 'PAYERROR') && canTransition(order.status, target))
      order = (await applyUnpaidEnd(deps, order, target, meta)).order ?? order
  }
  return toOrderView(order, deps.clock.now())
}
