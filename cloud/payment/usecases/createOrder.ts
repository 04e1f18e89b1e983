import { beijingTimestamp } from '../core/beijingTime'
import { parseCart, priceCart } from '../core/cart'
import { newOutTradeNo } from '../core/outTradeNo'
import { orderBody } from '../core/orderView'
import type { CreateOrderData } from '../contracts'
import { AppError } from '../errors'
import { parseObject } from '../parse'
import type { Caller, CreateOrderDeps } from './deps'

export const ORDER_LIFETIME_MS = 2 * 60 * 60 * 1000

/**
 * Prices the cart from the database, writes the order, and only then asks the gateway to
 * prepay: a gateway failure leaves a visible unpaid order, never a charge without a record.
 */
export async function createOrder(deps: CreateOrderDeps, caller: Caller, event: unknown): Promise<CreateOrderData> {
  const cart = parseCart(parseObject(event)['items'])
  const { lines, totalFee } = priceCart(cart, await deps.goods.findByIds(cart.map((line) => line.goodsId)))
  const now = deps.clock.now()
  const outTradeNo = newOutTradeNo(now, deps.randomBytes)
  const expireAt = new Date(now + ORDER_LIFETIME_MS)
  const { gateway } = deps
  await deps.orders.insert({ _id: outTradeNo, outTradeNo, _openid: caller.openid, items: lines, totalFee, status: 'NOTPAY', mode: gateway.mode, mchId: gateway.mchId, expireAt })
  let prepay
  try {
    prepay = await gateway.unifiedOrder({
      outTradeNo,
      totalFee,
      body: orderBody(lines),
      openid: caller.openid,
      appid: caller.appid,
      clientIp: caller.clientIp,
      timeExpire: beijingTimestamp(expireAt.getTime()),
    })
  } catch (error) {
    const reason = error instanceof AppError ? error.message : String(error)
    console.error(`createOrder ${outTradeNo}: prepay failed: ${reason}`)
    await deps.orders.patch(outTradeNo, ['NOTPAY'], { gatewayError: reason.slice(0, 500) }).catch(() => undefined)
    throw error instanceof AppError ? error : new AppError('PAY_GATEWAY_ERROR', '微信支付下单失败，请稍后重试', { cause: error })
  }
  await deps.orders.patch(outTradeNo, ['NOTPAY'], { prepayId: prepay.prepayId, payment: prepay.payment })
  console.log(`createOrder ${outTradeNo}: ${totalFee} fen, prepay ${prepay.prepayId}`)
  return { outTradeNo, totalFee, payment: prepay.payment }
}
