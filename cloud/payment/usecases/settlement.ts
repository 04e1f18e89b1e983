import { isOutTradeNo } from '../core/outTradeNo'
import type { SettlementData } from '../staffContracts'
import { AppError } from '../errors'
import type { OrderDeps } from './deps'

export const SETTLEMENT_EVENT = 'trade_manage_order_settlement'

/** Whether the event is WeChat's confirm-receipt push (by its shape; who sent it is checked by `applySettlement`). */
export function isSettlementEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as Record<string, unknown>)['Event'] === SETTLEMENT_EVENT
}

/**
 * WeChat's `trade_manage_order_settlement` push: the shopper confirmed receipt in WeChat (or
 * WeChat did when the period ran out) → the order's fulfilment SHIPPED → RECEIVED (one
 * conditional update, so a repeat or a race with the shopper's own confirmation does nothing).
 *
 * Who may deliver it: `payer` is the OPENID of the call's WeChat context, which the platform sets
 * and no client can forge. A shopper's callFunction always has one; the local cloud delivers the
 * push without one. Because WeChat's message push to a function may carry the user's OPENID too
 * (its customer-service push does; for this event it is unconfirmed), a call with an OPENID is
 * not refused outright: it may settle only an order that OPENID paid for — exactly what that
 * shopper may do anyway (`orderAction` confirmReceipt), recorded as the shopper's own
 * confirmation — and anyone else's order is FORBIDDEN, nothing read into the answer. The event's
 * facts must match the order (transaction id, merchant); an event that does not is ignored.
 */
export async function applySettlement(deps: OrderDeps, payer: string | null, event: unknown): Promise<SettlementData> {
  const e = event as Record<string, unknown>
  const outTradeNo = e['merchant_trade_no']
  if (!isOutTradeNo(outTradeNo)) {
    console.warn(`settlement push ignored: merchant_trade_no is not one of our order numbers`)
    return { outTradeNo: null, outcome: 'ignored' }
  }
  const order = await deps.orders.get(outTradeNo)
  if (payer !== null && order?._openid !== payer) {
    throw new AppError('FORBIDDEN', '仅商家工作人员可以操作', { detail: `a settlement event for ${outTradeNo} from a caller who did not pay for it` })
  }
  if (!order) {
    console.warn(`settlement push for unknown order ${outTradeNo} ignored`)
    return { outTradeNo, outcome: 'ignored' }
  }
  if (order.transactionId !== e['transaction_id'] || (typeof e['merchant_id'] === 'string' && e['merchant_id'] !== '' && e['merchant_id'] !== order.mchId)) {
    console.warn(`settlement push for ${outTradeNo} ignored: its transaction or merchant does not match the order`)
    return { outTradeNo, outcome: 'ignored' }
  }
  const state = order.fulfilment?.state
  if (state === 'RECEIVED') return { outTradeNo, outcome: 'already' }
  if (state !== 'SHIPPED') {
    console.warn(`settlement push for ${outTradeNo} ignored: fulfilment is ${state ?? 'none'}, not SHIPPED`)
    return { outTradeNo, outcome: 'ignored' }
  }
  const seconds = e['confirm_receive_time']
  const now = deps.clock.now()
  // WeChat's time when it is a sane one (not before shipping, not in the future); else now.
  const stated = typeof seconds === 'number' && Number.isSafeInteger(seconds) ? seconds * 1000 : NaN
  const shippedAt = order.fulfilment?.shippedAt?.getTime() ?? 0
  const at = new Date(stated >= shippedAt && stated <= now ? stated : now)
  // 1 = confirmed by WeChat when the period ran out (users report the values reversed; an OPENID call is the shopper's own).
  const auto = payer === null && e['confirm_receive_method'] === 1
  if (await deps.orders.confirmReceipt(outTradeNo, { at, auto })) {
    console.log(`order ${outTradeNo}: received (WeChat settlement push, method ${String(e['confirm_receive_method'])})`)
    return { outTradeNo, outcome: 'received' }
  }
  const latest = await deps.orders.get(outTradeNo)
  return { outTradeNo, outcome: latest?.fulfilment?.state === 'RECEIVED' ? 'already' : 'ignored' }
}
