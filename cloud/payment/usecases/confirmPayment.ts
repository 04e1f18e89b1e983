import { toOrderView } from '../core/orderView'
import { statusForTradeState } from '../core/orderState'
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
  if (trade.found) {
    const target = statusForTradeState(trade.tradeState)
    if ((target === 'SUCCESS' || target === 'REFUND') && trade.transactionId && trade.totalFee !== undefined) {
      if (order.status !== 'SUCCESS' && order.status !== 'REFUND') {
        const facts = { outTradeNo: order.outTradeNo, transactionId: trade.transactionId, totalFee: trade.totalFee, mchId: trade.mchId, ...(trade.timeEnd ? { timeEnd: trade.timeEnd } : {}) }
        order = (await applyPaid(deps, facts, meta)).order ?? order
      }
    } else if ((target === 'CLOSED' || target === 'PAYERROR') && order.status !== target) {
      order = (await applyUnpaidEnd(deps, order, target, meta)).order ?? order
    }
  }
  return toOrderView(order, deps.clock.now())
}
