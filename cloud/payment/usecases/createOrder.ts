import { createHash } from 'node:crypto'
import { parseAddress, parseNote } from '../core/address'
import { beijingTimestamp } from '../core/beijingTime'
import { parseCart, priceCart, type CartLine } from '../core/cart'
import { fen } from '../core/money'
import { newOutTradeNo } from '../core/outTradeNo'
import { orderBody } from '../core/orderView'
import { INITIAL_STATUS } from '../core/orderState'
import type { CreateOrderData, DeliveryAddress } from '../contracts'
import { AppError, explain } from '../errors'
import { optionalString, parseObject } from '../parse'
import type { NewOrder, OrderRecord } from '../ports'
import type { Caller, CreateOrderDeps } from './deps'

export const ORDER_LIFETIME_MS = 2 * 60 * 60 * 1000
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/

/**
 * Prices the cart from the database, writes the order, and only then asks the gateway to
 * prepay: a gateway failure leaves a visible unpaid order, never a charge without a record.
 * With a client `requestId`, a retry (a lost answer, a double tap) finds the first attempt's
 * order and finishes it instead of making a second trade.
 */
export async function createOrder(deps: CreateOrderDeps, caller: Caller, event: unknown): Promise<CreateOrderData> {
  const input = parseObject(event)
  const cart = parseCart(input['items'])
  const requestId = optionalString(input, 'requestId', REQUEST_ID)
  // Priced first: a cart that cannot be ordered leaves nothing behind, not even a claimed id.
  const { lines, totalFee } = priceCart(cart, await deps.goods.findByIds(cart.map((line) => line.goodsId)))
  // Then the address and note, still before anything is written.
  if (input['address'] === undefined || input['address'] === null) throw new AppError('INVALID_ARGUMENT', '请填写收货地址', { detail: 'address is required' })
  const address = parseAddress(input['address'])
  const note = parseNote(input['note'])
  let outTradeNo = newOutTradeNo(deps.clock.now(), deps.randomBytes)
  if (requestId) {
    const fingerprint = requestFingerprint(cart, address, note)
    const claim = await deps.requests.claim(caller.openid, requestId, outTradeNo, fingerprint)
    if (claim.fingerprint !== fingerprint) {
      throw new AppError('INVALID_ARGUMENT', '订单内容已变化，请重新提交订单', {
        detail: `requestId ${requestId} was already used for a different cart, address or note`,
      })
    }
    // Stryker disable next-line ConditionalExpression: for a fresh claim the read finds nothing (a clash is the insert's 'exists' below, with the same outcome)
    if (claim.outTradeNo !== outTradeNo) {
      outTradeNo = claim.outTradeNo
      const existing = await deps.orders.get(outTradeNo)
      if (existing) return finishPrepay(deps, existing)
      // The first attempt claimed the id and stopped before writing its order: write it now.
    }
  }
  const expireAt = new Date(deps.clock.now() + ORDER_LIFETIME_MS)
  const { gateway } = deps
  const order = {
    _id: outTradeNo,
    outTradeNo,
    _openid: caller.openid,
    items: lines,
    totalFee,
    status: INITIAL_STATUS,
    mode: gateway.mode,
    mchId: gateway.mchId,
    clientIp: caller.clientIp,
    expireAt,
    ...(requestId ? { requestId } : {}),
    address,
    ...(note ? { note } : {}),
  }
  if ((await deps.orders.insert(order)) === 'exists') {
    // A concurrent retry with the same requestId wrote it first: finish that one — only if it is
    // this shopper's, from this request (anything else is a clash of order numbers).
    const existing = requestId ? await deps.orders.get(outTradeNo) : null
    if (!existing || existing._openid !== caller.openid || existing.requestId !== requestId)
      throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `order ${outTradeNo} already exists` })
    return finishPrepay(deps, existing)
  }
  return finishPrepay(deps, startedOrder(order, new Date()))
}

/** An order as it is stored when written: nothing refunded, no after-sale request yet (the repository writes the same). */
export function startedOrder(order: NewOrder, now: Date): OrderRecord {
  return { ...order, refundReservedFee: fen(0), refundedFee: fen(0), refundsPending: 0, refunds: {}, afterSales: {}, createdAt: now, updatedAt: now }
}

/** Asks the gateway to prepay (again: unifiedorder answers the same prepay for the same parameters). */
async function finishPrepay(deps: CreateOrderDeps, order: OrderRecord): Promise<CreateOrderData> {
  const { outTradeNo, totalFee } = order
  if (order.status !== INITIAL_STATUS) {
    const said = order.status === 'CLOSED' ? '已关闭，请重新下单' : order.status === 'PAYERROR' ? '支付失败，请在订单页重新支付' : '已支付'
    throw new AppError('ORDER_STATE_CONFLICT', `这笔订单${said}`, { detail: `order ${outTradeNo} is ${order.status}, not ${INITIAL_STATUS}` })
  }
  if (order.payment) return { outTradeNo, totalFee, payment: order.payment }
  let prepay
  try {
    prepay = await deps.gateway.unifiedOrder({
      outTradeNo,
      totalFee,
      body: orderBody(order.items),
      openid: order._openid,
      clientIp: order.clientIp ?? '127.0.0.1',
      timeExpire: beijingTimestamp(order.expireAt.getTime()),
    })
  } catch (error) {
    const reason = explain(error)
    console.error(`createOrder ${outTradeNo}: prepay failed: ${reason}`)
    await deps.orders.patch(outTradeNo, INITIAL_STATUS, { gatewayError: reason.slice(0, 500) }).catch(() => undefined)
    throw error instanceof AppError ? error : new AppError('PAY_GATEWAY_ERROR', '微信支付下单失败，请稍后重试', { cause: error })
  }
  await deps.orders.patch(outTradeNo, INITIAL_STATUS, { prepayId: prepay.prepayId, payment: prepay.payment })
  console.log(`createOrder ${outTradeNo}: ${totalFee} fen, prepay ${prepay.prepayId}`)
  return { outTradeNo, totalFee, payment: prepay.payment }
}

/** What a requestId stands for: the cart (in any order), the address and the note. */
function requestFingerprint(cart: CartLine[], address: DeliveryAddress, note: string | undefined): string {
  const canonical = cart
    .map((line) => `${line.goodsId}*${line.quantity}`)
    .sort()
    .join(',')
  // A line break never occurs in the cart part, so the two parts cannot run together.
  return createHash('sha256')
    .update(`${canonical}\n${JSON.stringify([address, note ?? null])}`)
    .digest('hex')
    .slice(0, 16)
}
