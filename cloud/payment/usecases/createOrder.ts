import { createHash } from 'node:crypto'
import { parseAddress, parseNote } from '../core/address'
import { beijingTimestamp } from '../core/beijingTime'
import { parseCart, priceCart, type CartLine } from '../core/cart'
import { fen } from '../core/money'
import { newOutTradeNo } from '../core/outTradeNo'
import { orderBody } from '../core/orderView'
import { INITIAL_STATUS } from '../core/orderState'
import type { CreateOrderData, DeliveryAddress, PaymentParams } from '../contracts'
import { AppError, explain } from '../errors'
import { optionalString, parseObject } from '../parse'
import type { NewOrder, OrderRecord } from '../ports'
import type { Caller, CreateOrderDeps } from './deps'

export const ORDER_LIFETIME_MS = 2 * 60 * 60 * 1000
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/
/** The app's request ids begin with its clock, base36 milliseconds, and a dash (src/stores/orders.ts). */
const DATED_REQUEST_ID = /^([0-9a-z]{8,9})-/
const DATED_FROM = Date.UTC(2020, 0, 1)
const DATED_UNTIL = Date.UTC(2100, 0, 1)
/**
 * A dated request older than this is a repeat, never a first attempt still running (a function
 * runs for seconds): its order is looked up before anything else is done.
 */
export const REPEAT_AFTER_MS = 10 * 60 * 1000
/**
 * A dated order lives from the app's time, so that every attempt prepays with the same time_expire
 * (a retry must repeat the parameters exactly), while that leaves it at least 10 minutes and the
 * phone's clock is not ahead by more than 2; otherwise from the server's time.
 */
const DATED_LIFETIME_FROM = { behindMs: ORDER_LIFETIME_MS - 10 * 60 * 1000, aheadMs: 2 * 60 * 1000 }
/**
 * A phone clock further off than this, either way, does not date order numbers: ahead they would
 * sort first for ever, behind they would sort among last year's orders. (The app keeps a request
 * id for one checkout while it runs: a real retry is never a day old, and an order that old has
 * expired unpaid anyway, so numbering such a request anew cannot make a second payable order.)
 */
const DATED_SKEW_MAX_MS = 24 * 60 * 60 * 1000

type Base = Omit<NewOrder, '_id' | 'outTradeNo' | 'expireAt'>
type Request = { requestId: string; fingerprint: string }

/**
 * Prices the cart from the database, prepays, and writes the order once, with its payment
 * parameters: two round trips (the goods, the insert). The shopper only ever gets parameters of
 * an order that is stored, so a crash between the prepay and the insert leaves a prepay nobody
 * received — it cannot be paid, and it expires at the gateway.
 *
 * With a client `requestId` a retry (a lost answer, a double tap) answers the first attempt's
 * order instead of making a second trade. The app's ids are dated (`DATED_REQUEST_ID`), so the
 * order number is derived from the id — its time the app's, the rest a hash of shopper and id —
 * and the insert itself refuses a repeat, with nothing read first. Other ids are claimed in
 * `order_requests` first and keep the older order of writes (claim, order, prepay, details).
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
  const now = deps.clock.now()
  const base: Base = {
    _openid: caller.openid,
    items: lines,
    totalFee,
    status: INITIAL_STATUS,
    mode: deps.gateway.mode,
    mchId: deps.gateway.mchId,
    clientIp: caller.clientIp,
    ...(requestId ? { requestId } : {}),
    address,
    ...(note ? { note } : {}),
  }
  if (!requestId) return placeOnce(deps, base, new Date(now + ORDER_LIFETIME_MS), newOutTradeNo(now, deps.randomBytes))
  const request = { requestId, fingerprint: requestFingerprint(cart, address, note) }
  const dated = datedRequestTime(requestId)
  if (dated === undefined || Math.abs(dated - now) > DATED_SKEW_MAX_MS) return placeClaimed(deps, base, request, now)
  return placeDated(deps, { ...base, requestFingerprint: request.fingerprint }, request, dated, now)
}

/** Without a requestId: a new order number every time; prepaid, then written with the details. */
async function placeOnce(deps: CreateOrderDeps, base: Base, expireAt: Date, outTradeNo: string): Promise<CreateOrderData> {
  const numbered: NewOrder = { ...base, _id: outTradeNo, outTradeNo, expireAt }
  const prepay = await prepayOrThrow(deps, numbered)
  const stored = { ...numbered, prepayId: prepay.prepayId, payment: prepay.payment }
  if ((await deps.orders.insert(stored)) === 'exists')
    // The prepay made for it is never shown, so it cannot be paid; it expires at the gateway.
    throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `order ${outTradeNo} already exists` })
  return placed(numbered, prepay)
}

/**
 * A dated requestId: its order number is derived from it, so the insert refuses a repeat. A
 * repeat prepays again first (it cannot know it is one): with the same parameters the gateway
 * answers the same prepay, and the insert finds the stored order; with others (another network,
 * a changed price) the gateway refuses the number, and the stored order is read then. An attempt
 * stopped between its prepay and its insert leaves the number prepaid and nothing stored: a retry
 * with the same parameters stores that same prepay; one with other parameters is refused until
 * the app starts a new checkout. Never a second number: the first could still be stored by a
 * retry with its parameters, and that would be two orders.
 */
async function placeDated(deps: CreateOrderDeps, base: Base, request: Request, dated: number, now: number): Promise<CreateOrderData> {
  const outTradeNo = requestNumber(dated, base._openid, request.requestId)
  // Long after the app began it, this is a retry (a first attempt runs for seconds): look first.
  if (now - dated > REPEAT_AFTER_MS) {
    const existing = await deps.orders.get(outTradeNo)
    if (existing) return finishExisting(deps, existing, base._openid, request)
  }
  const steady = dated >= now - DATED_LIFETIME_FROM.behindMs && dated <= now + DATED_LIFETIME_FROM.aheadMs
  const order: NewOrder = { ...base, _id: outTradeNo, outTradeNo, expireAt: new Date((steady ? dated : now) + ORDER_LIFETIME_MS) }
  let prepay: { prepayId: string; payment: PaymentParams }
  try {
    prepay = await deps.gateway.unifiedOrder(prepayRequest(order))
  } catch (error) {
    // Refused as a repeat with other parameters, or failed: the stored order, if there is one, is
    // the answer. A read that fails too leaves the gateway's error to tell.
    const existing = await deps.orders.get(outTradeNo).catch(() => null)
    if (existing) return finishExisting(deps, existing, base._openid, request)
    throw prepayFailed(outTradeNo, error)
  }
  if ((await deps.orders.insert({ ...order, prepayId: prepay.prepayId, payment: prepay.payment })) === 'inserted') return placed(order, prepay)
  // An earlier or concurrent attempt of the same request stored it first: answer that one (this prepay, if another, is never shown).
  const existing = await deps.orders.get(outTradeNo)
  if (!existing) throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `order ${outTradeNo} exists but cannot be read` })
  return finishExisting(deps, existing, base._openid, request)
}

/**
 * Any other requestId: claimed in `order_requests` first, then the order is written, then
 * prepaid, then the payment details are added — so a retry finds the exact parameters to prepay
 * again with. A gateway failure leaves a visible unpaid order with its reason.
 */
async function placeClaimed(deps: CreateOrderDeps, base: Base, request: Request, now: number): Promise<CreateOrderData> {
  const { requestId, fingerprint } = request
  const mine = newOutTradeNo(now, deps.randomBytes)
  const claim = await deps.requests.claim(base._openid, requestId, mine, fingerprint)
  if (claim.fingerprint !== fingerprint) throw changedRequest(requestId)
  const outTradeNo = claim.outTradeNo
  // Stryker disable next-line ConditionalExpression: for a fresh claim the read finds nothing (a clash is the insert's 'exists' below, with the same outcome)
  if (outTradeNo !== mine) {
    const existing = await deps.orders.get(outTradeNo)
    if (existing) return finishPrepay(deps, existing)
    // The first attempt claimed the id and stopped before writing its order: write it now.
  }
  const order: NewOrder = { ...base, _id: outTradeNo, outTradeNo, expireAt: new Date(now + ORDER_LIFETIME_MS) }
  if ((await deps.orders.insert(order)) === 'exists') {
    // A concurrent retry with the same requestId wrote it first: finish that one — only if it is
    // this shopper's, from this request (anything else is a clash of order numbers).
    const existing = await deps.orders.get(outTradeNo)
    if (!existing || existing._openid !== base._openid || existing.requestId !== requestId)
      throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `order ${outTradeNo} already exists` })
    return finishPrepay(deps, existing)
  }
  return finishPrepay(deps, startedOrder(order, new Date()))
}

/** A stored order found under a request's number: this shopper's, from this request, for the same cart — or refused. */
function finishExisting(deps: CreateOrderDeps, existing: OrderRecord, openid: string, request: Request): Promise<CreateOrderData> {
  if (existing._openid !== openid || existing.requestId !== request.requestId)
    throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `order ${existing.outTradeNo} already exists` })
  if (existing.requestFingerprint !== undefined && existing.requestFingerprint !== request.fingerprint) throw changedRequest(request.requestId)
  return finishPrepay(deps, existing)
}

function changedRequest(requestId: string): AppError {
  return new AppError('INVALID_ARGUMENT', '订单内容已变化，请重新提交订单', {
    detail: `requestId ${requestId} was already used for a different cart, address or note`,
  })
}

/** An order as it is stored when written: nothing refunded, no after-sale request yet (the repository writes the same). */
export function startedOrder(order: NewOrder, now: Date): OrderRecord {
  return { ...order, refundReservedFee: fen(0), refundedFee: fen(0), refundsPending: 0, refunds: {}, afterSales: {}, createdAt: now, updatedAt: now }
}

function placed(order: NewOrder, prepay: { prepayId: string; payment: PaymentParams }): CreateOrderData {
  console.log(`createOrder ${order.outTradeNo}: ${order.totalFee} fen, prepay ${prepay.prepayId}`)
  return { outTradeNo: order.outTradeNo, totalFee: order.totalFee, payment: prepay.payment }
}

function prepayRequest(order: NewOrder) {
  return {
    outTradeNo: order.outTradeNo,
    totalFee: order.totalFee,
    body: orderBody(order.items),
    openid: order._openid,
    clientIp: order.clientIp ?? '127.0.0.1',
    timeExpire: beijingTimestamp(order.expireAt.getTime()),
  }
}

/** The gateway's error as the shopper gets it (its own AppError as it was), logged with the order number. */
function prepayFailed(outTradeNo: string, error: unknown): AppError {
  console.error(`createOrder ${outTradeNo}: prepay failed: ${explain(error)}`)
  return error instanceof AppError ? error : new AppError('PAY_GATEWAY_ERROR', '微信支付下单失败，请稍后重试', { cause: error })
}

async function prepayOrThrow(deps: CreateOrderDeps, order: NewOrder): Promise<{ prepayId: string; payment: PaymentParams }> {
  try {
    return await deps.gateway.unifiedOrder(prepayRequest(order))
  } catch (error) {
    throw prepayFailed(order.outTradeNo, error)
  }
}

/** Asks the gateway to prepay a stored order (again: unifiedorder answers the same prepay for the same parameters). */
async function finishPrepay(deps: CreateOrderDeps, order: OrderRecord): Promise<CreateOrderData> {
  const { outTradeNo, totalFee } = order
  if (order.status !== INITIAL_STATUS) {
    const said = order.status === 'CLOSED' ? '已关闭，请重新下单' : order.status === 'PAYERROR' ? '支付失败，请在订单页重新支付' : '已支付'
    throw new AppError('ORDER_STATE_CONFLICT', `这笔订单${said}`, { detail: `order ${outTradeNo} is ${order.status}, not ${INITIAL_STATUS}` })
  }
  if (order.payment) return { outTradeNo, totalFee, payment: order.payment }
  let prepay
  try {
    prepay = await deps.gateway.unifiedOrder(prepayRequest(order))
  } catch (error) {
    const failure = prepayFailed(outTradeNo, error)
    await deps.orders.patch(outTradeNo, INITIAL_STATUS, { gatewayError: explain(error).slice(0, 500) }).catch(() => undefined)
    throw failure
  }
  await deps.orders.patch(outTradeNo, INITIAL_STATUS, { prepayId: prepay.prepayId, payment: prepay.payment })
  return placed(order, prepay)
}

/** When the app made a dated requestId (epoch ms), if it is one. */
export function datedRequestTime(requestId: string): number | undefined {
  const match = DATED_REQUEST_ID.exec(requestId)
  const ms = match ? parseInt(match[1] ?? '', 36) : NaN
  return ms >= DATED_FROM && ms < DATED_UNTIL ? ms : undefined
}

/**
 * The order number of a dated request: the app's second (Beijing time), then 14 digits hashed
 * from the shopper and the id — the same on every retry.
 */
export function requestNumber(dated: number, openid: string, requestId: string): string {
  let block = 0
  const hashed = (n: number): Uint8Array => {
    const out = new Uint8Array(n)
    for (let filled = 0; filled < n; block++) {
      const digest = createHash('sha256').update(`${openid}\u0000${requestId}\u0000${block}`).digest()
      out.set(digest.subarray(0, n - filled), filled)
      filled += Math.min(digest.length, n - filled)
    }
    return out
  }
  return newOutTradeNo(dated, hashed)
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
