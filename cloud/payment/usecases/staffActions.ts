import { createHash } from 'node:crypto'
import { AFTER_SALE_ID } from '../core/afterSale'
import { isOutTradeNo } from '../core/outTradeNo'
import { refundable } from '../core/refund'
import { maskPhone, type LogisticsKind, type ShipmentInput } from '../adapters/shippingInfo'
import type { PricedLine } from '../core/cart'
import { type ErrorCode } from '../contracts'
import { NO_LOGISTICS, STAFF_CARRIERS, type NoLogistics, type StaffCarrier, type StaffOrderView } from '../staffContracts'
import { AppError, explain } from '../errors'
import { BAD_REQUEST } from '../parse'
import type { Clock, OrderRecord, OrderRepository, ShippingPort, ShippingUpload, StaffAuditRecord } from '../ports'
import { refundOrder } from './refundOrder'
import { requireSameMode } from './sendRefund'
import type { StaffConsoleDeps } from './staff'
import { shippingUploadView, viewForStaff } from './staffQueries'

/** Made by the console once per action: a retry with it repeats nothing. 60 at most, so `S` + it is a refund number. */
export const STAFF_REQUEST_ID = /^[A-Za-z0-9_-]{8,60}$/
/** A courier's tracking number. */
export const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/
export const REQUEST_REUSED = '请求编号已用于其他操作，请刷新后重试'
export const CHANGED = '订单状态已变化，请刷新后重试'
// C0 and C1 control characters (line breaks among them) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

const bad = (message: string, detail: string): AppError => new AppError('INVALID_ARGUMENT', message, { detail })
const conflict = (message: string, detail: string): AppError => new AppError('ORDER_STATE_CONFLICT', message, { detail })

/** Refusals that are the answer, not a fault: recorded as the action's outcome. A fault (gateway, internal) is retried instead. */
const DEFINITE: readonly ErrorCode[] = ['ORDER_NOT_FOUND', 'ORDER_STATE_CONFLICT', 'REFUND_NOT_ALLOWED', 'INVALID_ARGUMENT']

function text(input: Record<string, unknown>, field: string, label: string, max: number, required: boolean): string | undefined {
  const raw = input[field]
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (required) throw bad(`请填写${label}`, `${field} is required`)
    return undefined
  }
  if (typeof raw !== 'string') throw bad(`${label}格式不正确`, `${field} must be a string`)
  const value = raw.trim()
  if (CONTROL.test(value)) throw bad(`${label}不能换行或包含特殊字符`, `${field} has a control character`)
  if ([...value].length > max) throw bad(`${label}最多 ${max} 个字`, `${field} is longer than ${max} characters`)
  return value
}

function fee(input: Record<string, unknown>): number | undefined {
  const raw = input['refundFee']
  if (raw === undefined || raw === null) return undefined
  if (!Number.isSafeInteger(raw) || Number(raw) <= 0) throw bad('退款金额应为正整数（单位：分）', 'refundFee must be a positive integer number of fen')
  return Number(raw)
}

type Target = { outTradeNo: string; requestId: string }

function target(input: Record<string, unknown>): Target {
  const { outTradeNo, requestId } = input
  if (!isOutTradeNo(outTradeNo)) throw bad('订单号有误', 'outTradeNo is not valid')
  if (typeof requestId !== 'string' || !STAFF_REQUEST_ID.test(requestId)) throw bad(BAD_REQUEST, 'requestId is not valid')
  return { outTradeNo, requestId }
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Runs one staff action at most once in effect and records it once in `staff_audit` (`_id` =
 * requestId): the action itself is idempotent on the requestId (a shipment carries it, a refund's
 * number is made from it, a decision is one conditional update), and the record is insert-once.
 * A requestId already used for anything else is refused before anything is changed. The record
 * keeps the first definite outcome; a fault (the gateway, the database) is left unrecorded for
 * the retry to finish.
 */
async function audited(
  deps: StaffConsoleDeps,
  staff: string,
  action: StaffAuditRecord['action'],
  { outTradeNo, requestId }: Target,
  input: Record<string, unknown>,
  run: () => Promise<void>,
): Promise<StaffOrderView> {
  const reused = (prior: StaffAuditRecord | null): boolean =>
    !!prior && (prior.action !== action || prior.outTradeNo !== outTradeNo || !same(prior.input, input))
  if (reused(await deps.audit.get(requestId))) throw bad(REQUEST_REUSED, `requestId ${requestId} was used for another action`)
  const record = async (outcome: string): Promise<void> => {
    const written = await deps.audit.record({ requestId, staff, action, outTradeNo, input, outcome, at: new Date(deps.clock.now()) })
    // Two different actions racing under one requestId: the one recorded first stands.
    if (written === 'exists' && reused(await deps.audit.get(requestId))) throw bad(REQUEST_REUSED, `requestId ${requestId} was used for another action`)
  }
  try {
    await run()
  } catch (error) {
    if (error instanceof AppError && DEFINITE.includes(error.code)) await record(error.code)
    throw error
  }
  await record('ok')
  const order = await deps.orders.get(outTradeNo)
  if (!order) throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `order ${outTradeNo} vanished` })
  return viewForStaff(deps, order)
}

async function load(deps: StaffConsoleDeps, outTradeNo: string): Promise<OrderRecord> {
  const order = await deps.orders.get(outTradeNo)
  if (!order) throw new AppError('ORDER_NOT_FOUND', '订单不存在', { detail: `order ${outTradeNo} not found` })
  return order
}

/** Why this order cannot ship now (staff words); null when it can: SUCCESS and waiting to ship. */
export function shipRefusal(order: OrderRecord): string | null {
  const state = order.fulfilment?.state
  if (state === 'SHIPPED' || state === 'RECEIVED') return '订单已发货'
  if (state === 'CANCELLED') return '订单已取消并退款，不能发货'
  if (order.status === 'REFUND') return '订单已全额退款，不能发货'
  if (order.status !== 'SUCCESS' || state !== 'PENDING') return '订单未支付，不能发货'
  return null
}

type ShipInput = { carrier: StaffCarrier; trackingNo: string } | { noLogistics: NoLogistics }

function parseShipment(input: Record<string, unknown>): ShipInput {
  const noLogistics = input['noLogistics']
  if (noLogistics !== undefined && noLogistics !== null) {
    const kind = NO_LOGISTICS.find((k) => k === noLogistics)
    if (!kind) throw bad('请选择无需物流的方式（同城配送、虚拟商品或到店自提）', 'noLogistics is not one of LOCAL, VIRTUAL, PICKUP')
    if (input['carrier'] !== undefined || input['trackingNo'] !== undefined) throw bad(BAD_REQUEST, 'noLogistics with a carrier or tracking number')
    return { noLogistics: kind }
  }
  const carrier = input['carrier']
  if (typeof carrier !== 'string' || !Object.hasOwn(STAFF_CARRIERS, carrier)) throw bad('请选择快递公司', 'carrier is not a known delivery company id')
  const trackingNo = typeof input['trackingNo'] === 'string' ? input['trackingNo'].trim() : ''
  if (!TRACKING_NO.test(trackingNo)) throw bad('快递单号格式不正确', 'trackingNo must be 4–40 letters, digits or -')
  return { carrier: carrier as StaffCarrier, trackingNo }
}

/**
 * What uploading a shipment needs. `shipping` is optional only because the shared dependency
 * types (usecases/deps.ts) do not carry it yet; every runtime and memory world provides it, and
 * without it the upload stays PENDING for a caller that has one.
 */
export type ShippingDeps = { orders: OrderRepository; clock: Clock; shipping: ShippingPort }

/** How long one caller's claim on an upload keeps others off it: well over a function's timeout. */
export const SHIPPING_UPLOAD_LEASE_MS = 5 * 60_000

const NO_LOGISTICS_KIND: Record<NoLogistics, LogisticsKind> = { LOCAL: 'same_city', VIRTUAL: 'virtual', PICKUP: 'pickup' }

/** "挂耳咖啡*2；红茶*1", cut to WeChat's 120 characters (never inside a character). */
export function itemDescOf(items: readonly PricedLine[]): string {
  const full = items.map((line) => `${line.name}*${line.quantity}`).join('；')
  if (full.length <= 120) return full
  let cut = ''
  for (const ch of full) {
    if (cut.length + ch.length > 119) break
    cut += ch
  }
  return `${cut}…`
}

/** The upload of a shipped order's shipment, as adapters/shippingInfo.ts takes it. */
export function shipmentInputOf(order: OrderRecord, uploadedAt: Date): ShipmentInput {
  const carrier = order.fulfilment?.carrier ?? ''
  const noLogistics = NO_LOGISTICS.find((kind) => kind === carrier)
  const mobile = order.address?.mobile
  return {
    order: order.transactionId ? { transactionId: order.transactionId } : { mchId: order.mchId, outTradeNo: order.outTradeNo },
    payerOpenid: order._openid,
    logistics: noLogistics ? NO_LOGISTICS_KIND[noLogistics] : 'express',
    itemDesc: itemDescOf(order.items),
    ...(noLogistics ? {} : { trackingNo: order.fulfilment?.trackingNo ?? '', expressCompany: carrier }),
    ...(mobile ? { receiverContact: maskPhone(mobile) } : {}),
    uploadedAt,
  }
}

/**
 * Uploads a shipped order's shipment to WeChat at most once in effect. The platform takes one
 * re-shipment per order, so a second upload would not be refused: duplicates are kept out by
 * state. The caller first claims the PENDING upload (one conditional update on its attempt
 * count, so of two callers one goes on), uploads, then writes the outcome under the same count:
 * ok / already uploaded → UPLOADED, temporary → PENDING for the reconcile timer, permanent →
 * FAILED with the reason. A claim is honoured for SHIPPING_UPLOAD_LEASE_MS; only a caller that
 * died between WeChat's acceptance and its write leaves one to expire, and the retry then is
 * the re-shipment (or WeChat's "already uploaded"). Answers the state it leaves, or 'busy'.
 */
export async function uploadShipment(deps: ShippingDeps, order: OrderRecord): Promise<ShippingUpload['state'] | 'busy' | 'none'> {
  const upload = order.shippingUpload
  if (!upload) return 'none'
  if (upload.state !== 'PENDING') return upload.state
  const now = deps.clock.now()
  if (upload.claimedAt && now - upload.claimedAt.getTime() < SHIPPING_UPLOAD_LEASE_MS) return 'busy'
  const attempts = upload.attempts + 1
  const kept = upload.lastError === undefined ? {} : { lastError: upload.lastError }
  if (!(await deps.orders.updateShippingUpload(order.outTradeNo, upload, { state: 'PENDING', attempts, claimedAt: new Date(now), ...kept }))) return 'busy'
  const outcome = await deps.shipping.upload(shipmentInputOf(order, new Date(now)))
  const to: ShippingUpload =
    outcome.kind === 'ok' || outcome.kind === 'already_uploaded'
      ? { state: 'UPLOADED', attempts, uploadedAt: new Date(deps.clock.now()) }
      : outcome.kind === 'temporary'
        ? { state: 'PENDING', attempts, lastError: `${outcome.code} ${outcome.message}` }
        : { state: 'FAILED', attempts, lastError: `${outcome.reason} (${outcome.code}): ${outcome.message}` }
  if (!(await deps.orders.updateShippingUpload(order.outTradeNo, { attempts }, to))) return 'busy'
  const detail = to.lastError === undefined ? '' : `: ${to.lastError}`
  if (to.state === 'UPLOADED') console.log(`order ${order.outTradeNo}: shipping info uploaded to WeChat (${outcome.kind}, attempt ${attempts})`)
  else console.warn(`order ${order.outTradeNo}: shipping upload ${to.state} after attempt ${attempts}${detail}`)
  return to.state
}

/**
 * `ship`: PENDING → SHIPPED through the repository's one conditional update (`markShipped`),
 * which stores the requestId on the order: a retry of the same request finds its shipment, any
 * other request finds the order shipped (ORDER_STATE_CONFLICT). A cancelled order (the shopper's
 * refund before shipping won the race) is refused the same way. The same update queues the
 * upload to WeChat, which only the request that shipped makes (`uploadShipment`); its failure
 * never undoes the shipment — the answer's `shippingUpload` says where it stands.
 */
export async function shipOrder(deps: StaffConsoleDeps & { shipping: ShippingPort }, staff: string, input: Record<string, unknown>): Promise<StaffOrderView> {
  const at = target(input)
  const shipment = parseShipment(input)
  const carrier = 'noLogistics' in shipment ? shipment.noLogistics : shipment.carrier
  const trackingNo = 'noLogistics' in shipment ? '' : shipment.trackingNo
  const mine = (order: OrderRecord): boolean => {
    if (order.shipRequestId !== at.requestId) return false
    if (order.fulfilment?.carrier !== carrier || order.fulfilment.trackingNo !== trackingNo)
      throw bad(REQUEST_REUSED, `requestId ${at.requestId} shipped another way`)
    return true
  }
  const view = await audited(deps, staff, 'ship', at, { outTradeNo: at.outTradeNo, ...shipment }, async () => {
    const order = await load(deps, at.outTradeNo)
    if (mine(order)) return
    const refusal = shipRefusal(order)
    if (refusal) throw conflict(refusal, `ship ${at.outTradeNo}: status ${order.status}, fulfilment ${order.fulfilment?.state ?? 'none'}`)
    const shipped = { carrier, trackingNo, at: new Date(deps.clock.now()), requestId: at.requestId, upload: true }
    if (await deps.orders.markShipped(at.outTradeNo, shipped)) {
      console.log(`order ${at.outTradeNo}: shipped by staff (${carrier})`)
      // Shipped is shipped: a fault here leaves the upload PENDING for the reconcile timer.
      await uploadShipment(deps, await load(deps, at.outTradeNo)).catch((error: unknown) =>
        console.warn(`order ${at.outTradeNo}: shipping upload left pending: ${explain(error)}`),
      )
      return
    }
    const latest = await load(deps, at.outTradeNo)
    if (mine(latest)) return
    throw conflict(shipRefusal(latest) ?? CHANGED, `ship ${at.outTradeNo} lost a race`)
  })
  return { ...view, shippingUpload: shippingUploadView((await load(deps, at.outTradeNo)).shippingUpload) }
}

/** The refund number a staff refund request makes: the same request is always the same refund. */
export const staffRefundNo = (requestId: string): string => `S${requestId}`

/** The refund number an approved after-sale request makes, whoever approves it and however often. */
export function afterSaleRefundNo(afterSaleId: string): string {
  return afterSaleId.length <= 63 ? `A${afterSaleId}` : `A${createHash('sha256').update(afterSaleId).digest('hex').slice(0, 40)}`
}

/** The amount to refund: as asked; else what an earlier attempt reserved under this number; else all that is left. */
function amountOf(order: OrderRecord, outRefundNo: string, asked: number | undefined): number {
  const amount = asked ?? order.refunds[outRefundNo]?.refundFee ?? refundable(order)
  if (amount <= 0) throw new AppError('REFUND_NOT_ALLOWED', '订单没有可退的金额', { detail: `order ${order.outTradeNo} has nothing left to refund` })
  return amount
}

/** `refund`: full (no refundFee) or partial, with a reason, through refundOrder under `S` + requestId. */
export async function staffRefund(deps: StaffConsoleDeps, staff: string, input: Record<string, unknown>): Promise<StaffOrderView> {
  const at = target(input)
  const reason = text(input, 'reason', '退款原因', 80, true) as string
  const asked = fee(input)
  const outRefundNo = staffRefundNo(at.requestId)
  return audited(deps, staff, 'refund', at, { outTradeNo: at.outTradeNo, reason, ...(asked === undefined ? {} : { refundFee: asked }) }, async () => {
    const order = await load(deps, at.outTradeNo)
    await refundOrder(deps, staff, { outTradeNo: at.outTradeNo, refundFee: amountOf(order, outRefundNo, asked), outRefundNo, reason })
  })
}

/**
 * `afterSale`: decides a PENDING request in one conditional update that also clears
 * `afterSalePending`. Approving refunds under a number made from the request's id (so two staff
 * approving at once, or a retry, make one refund): the refund is checked first, the decision is
 * written, then the refund is made — a retry of an approved request makes whatever refund is
 * missing. Deciding again the same way answers the same; the other way is ORDER_STATE_CONFLICT.
 */
export async function decideAfterSale(deps: StaffConsoleDeps, staff: string, input: Record<string, unknown>): Promise<StaffOrderView> {
  const at = target(input)
  const afterSaleId = input['afterSaleId']
  if (typeof afterSaleId !== 'string' || !AFTER_SALE_ID.test(afterSaleId)) throw bad(BAD_REQUEST, 'afterSaleId is not valid')
  const decision = input['decision']
  if (decision !== 'approve' && decision !== 'reject') throw bad(BAD_REQUEST, 'decision must be approve or reject')
  const reply = text(input, 'reply', '回复', 200, decision === 'reject')
  const asked = decision === 'approve' ? fee(input) : undefined
  const state = decision === 'approve' ? 'APPROVED' : 'REJECTED'
  const outRefundNo = afterSaleRefundNo(afterSaleId)
  const parsed = { outTradeNo: at.outTradeNo, afterSaleId, decision, ...(asked === undefined ? {} : { refundFee: asked }), ...(reply ? { reply } : {}) }
  const refund = (order: OrderRecord) =>
    refundOrder(deps, staff, { outTradeNo: at.outTradeNo, refundFee: amountOf(order, outRefundNo, asked), outRefundNo, reason: '售后退款' })

  return audited(deps, staff, 'afterSale', at, parsed, async () => {
    let order = await load(deps, at.outTradeNo)
    const request = order.afterSales[afterSaleId]
    if (!request) throw new AppError('ORDER_NOT_FOUND', '售后申请不存在', { detail: `after-sale ${afterSaleId} not found on ${at.outTradeNo}` })
    if (request.state === 'PENDING') {
      if (decision === 'approve') {
        // Checked before deciding, so an approval is never written for a refund that cannot be made.
        requireSameMode(deps, order)
        amountOf(order, outRefundNo, asked)
        if (asked !== undefined && !order.refunds[outRefundNo] && asked > refundable(order))
          throw new AppError('REFUND_NOT_ALLOWED', `退款金额超过可退金额（最多 ${refundable(order)} 分）`)
      }
      const decided = await deps.orders.decideAfterSale(at.outTradeNo, afterSaleId, {
        state,
        decidedAt: new Date(deps.clock.now()),
        ...(reply ? { reply } : {}),
        ...(decision === 'approve' ? { outRefundNo } : {}),
      })
      order = await load(deps, at.outTradeNo)
      if (decided) console.log(`order ${at.outTradeNo}: after-sale ${afterSaleId} ${state} by staff`)
    }
    const now = order.afterSales[afterSaleId]?.state
    if (now !== state) throw conflict(`该售后申请已${now === 'APPROVED' ? '同意' : '拒绝'}`, `after-sale ${afterSaleId} is ${now ?? 'missing'}, asked ${state}`)
    if (decision === 'approve') await refund(order)
  })
}
