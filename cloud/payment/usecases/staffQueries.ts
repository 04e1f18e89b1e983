import { FULFILMENT_STATES } from '../core/fulfilment'
import { isOutTradeNo } from '../core/outTradeNo'
import { ORDER_STATUSES } from '../core/orderState'
import { toOrderView } from '../core/orderView'
import { paidAmount, refundable } from '../core/refund'
import {
  NO_LOGISTICS,
  STAFF_CARRIERS,
  STAFF_TOTALS_SCAN_LIMIT,
  type NoLogistics,
  type StaffOrdersData,
  type StaffOrderSummary,
  type StaffOrderView,
  type StaffShippingUploadView,
  type StaffTimelineEntry,
} from '../staffContracts'
import { AppError } from '../errors'
import { BAD_REQUEST, optionalInt } from '../parse'
import type { OrderRecord, ShippingUpload, StaffAuditRecord, StaffOrderQuery } from '../ports'
import type { StaffConsoleDeps } from './staff'

const DEFAULT_PAGE = 20
/** The most payment events and staff actions one order's timeline reads of each. */
export const TIMELINE_LIMIT = 200
/** A search of 11 digits is a recipient's mobile; anything else must be an order number. */
const MOBILE_SEARCH = /^\d{11}$/

const bad = (detail: string): AppError => new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail })

function parseInstant(raw: unknown, field: string): Date | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const at = typeof raw === 'string' ? new Date(raw) : undefined
  if (!at || Number.isNaN(at.getTime())) throw bad(`${field} must be an ISO 8601 instant`)
  return at
}

/** The list's filters, every one checked before anything is read. */
export function parseStaffQuery(input: Record<string, unknown>): StaffOrderQuery {
  const query: StaffOrderQuery = {}
  const status = input['status']
  if (status !== undefined && status !== null) {
    const found = ORDER_STATUSES.find((s) => s === status)
    if (!found) throw bad('status is not an order status')
    query.status = found
  }
  const fulfilment = input['fulfilment']
  if (fulfilment !== undefined && fulfilment !== null) {
    const found = FULFILMENT_STATES.find((s) => s === fulfilment)
    if (!found) throw bad('fulfilment is not a fulfilment state')
    query.fulfilment = found
  }
  const from = parseInstant(input['from'], 'from')
  const to = parseInstant(input['to'], 'to')
  if (from) query.from = from
  if (to) query.to = to
  const search = typeof input['search'] === 'string' ? input['search'].trim() : input['search']
  if (search !== undefined && search !== null && search !== '') {
    if (typeof search === 'string' && MOBILE_SEARCH.test(search)) query.mobile = search
    else if (isOutTradeNo(search)) query.outTradeNo = search
    else throw new AppError('INVALID_ARGUMENT', '请输入完整的订单号或 11 位手机号码', { detail: 'search is neither an order number nor a mobile number' })
  }
  return query
}

function summary(order: OrderRecord): StaffOrderSummary {
  return {
    outTradeNo: order.outTradeNo,
    status: order.status,
    fulfilment: order.fulfilment?.state ?? null,
    totalFee: order.totalFee,
    paidFee: paidAmount(order),
    refundedFee: order.refundedFee,
    recipient: order.address?.recipient ?? null,
    mobile: order.address?.mobile ?? null,
    createdAt: order.createdAt.toISOString(),
    afterSalePending: Object.values(order.afterSales).some((entry) => entry.state === 'PENDING'),
    shippingUpload: order.shippingUpload?.state ?? null,
  }
}

/**
 * `orders`: a page of the filtered orders, newest first (keyset on `_id`, whose leading
 * yyyyMMddHHmmss makes it the creation order), with the totals of the whole filtered range —
 * read from at most STAFF_TOTALS_SCAN_LIMIT orders; above that the totals cover the newest that
 * many and say `capped`.
 */
export async function listStaffOrders(deps: StaffConsoleDeps, input: Record<string, unknown>): Promise<StaffOrdersData> {
  const query = parseStaffQuery(input)
  const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_PAGE
  const cursor = input['cursor']
  if (cursor !== undefined && cursor !== null && !isOutTradeNo(cursor)) throw bad('cursor is not valid')
  const orders = await deps.orders.listForStaff(query, typeof cursor === 'string' ? cursor : undefined, limit + 1)
  const page = orders.slice(0, limit)
  const totals = await deps.orders.totalsForStaff(query, STAFF_TOTALS_SCAN_LIMIT)
  const last = page[page.length - 1]
  return { items: page.map(summary), nextCursor: orders.length > limit && last ? last.outTradeNo : null, totals }
}

const isNoLogistics = (carrier: string | undefined): carrier is NoLogistics => (NO_LOGISTICS as readonly unknown[]).includes(carrier)

function staffDetail(record: StaffAuditRecord): string {
  const input = record.input
  const parts: string[] = [`by ${record.staff}`]
  if (record.action === 'ship') {
    const carrier = String(input['carrier'] ?? input['noLogistics'] ?? '')
    parts.push(`${STAFF_CARRIERS[carrier as keyof typeof STAFF_CARRIERS] ?? carrier} ${String(input['trackingNo'] ?? '')}`.trim())
  }
  if (input['refundFee'] !== undefined) parts.push(`${String(input['refundFee'])} fen`)
  if (input['decision'] !== undefined) parts.push(`${String(input['decision'])} ${String(input['afterSaleId'] ?? '')}`)
  if (typeof input['reason'] === 'string') parts.push(input['reason'])
  if (typeof input['reply'] === 'string') parts.push(input['reply'])
  return parts.join('; ')
}

/** The order's own dates, its payment events and its staff actions, oldest first. */
async function timeline(deps: StaffConsoleDeps, order: OrderRecord): Promise<StaffTimelineEntry[]> {
  const [events, actions] = await Promise.all([deps.history.listFor(order.outTradeNo, TIMELINE_LIMIT), deps.audit.listFor(order.outTradeNo, TIMELINE_LIMIT)])
  const entries: Array<StaffTimelineEntry & { ms: number }> = []
  const add = (at: Date, source: StaffTimelineEntry['source'], kind: string, detail: string): void => {
    entries.push({ at: at.toISOString(), ms: at.getTime(), source, kind, detail })
  }
  add(order.createdAt, 'order', 'created', `${order.totalFee} fen`)
  for (const request of Object.values(order.afterSales)) add(request.createdAt, 'order', 'afterSale_requested', request.reason)
  for (const event of events) add(event.receivedAt, 'payment', `${event.kind}:${event.decision}`, event.reason)
  for (const action of actions) add(action.at, 'staff', `${action.action}:${action.outcome}`, staffDetail(action))
  // A stable sort: what happened at the same instant keeps the order above (order, payment, staff).
  return entries.sort((a, b) => a.ms - b.ms).map(({ ms: _ms, ...entry }) => entry)
}

/** `order`: one order as staff see it (ORDER_NOT_FOUND when there is none). */
export async function staffOrderView(deps: StaffConsoleDeps, outTradeNo: unknown): Promise<StaffOrderView> {
  if (!isOutTradeNo(outTradeNo)) throw new AppError('INVALID_ARGUMENT', '订单号有误', { detail: 'outTradeNo is not valid' })
  const order = await deps.orders.get(outTradeNo)
  if (!order) throw new AppError('ORDER_NOT_FOUND', '订单不存在', { detail: `order ${outTradeNo} not found` })
  return viewForStaff(deps, order)
}

export async function viewForStaff(deps: StaffConsoleDeps, order: OrderRecord): Promise<StaffOrderView> {
  const view = toOrderView(order, deps.clock.now())
  const carrier = order.fulfilment?.carrier
  return {
    outTradeNo: order.outTradeNo,
    openid: order._openid,
    status: order.status,
    mode: order.mode,
    items: view.items,
    totalFee: order.totalFee,
    paidFee: paidAmount(order),
    refundReservedFee: order.refundReservedFee,
    refundedFee: order.refundedFee,
    refundable: refundable(order),
    transactionId: view.transactionId,
    paidAt: view.paidAt,
    createdAt: view.createdAt,
    address: order.address ?? null,
    note: order.note ?? null,
    fulfilment: view.fulfilment ? { ...view.fulfilment, noLogistics: isNoLogistics(carrier) ? carrier : null } : null,
    refunds: view.refunds.map((refund) => {
      const entry = order.refunds[refund.outRefundNo]
      return { ...refund, requestedBy: entry?.requestedBy ?? '', reason: entry?.reason ?? null, failure: entry?.failure ?? null }
    }),
    afterSales: view.afterSales,
    shippingUpload: shippingUploadView(order.shippingUpload),
    timeline: await timeline(deps, order),
  }
}

const UPLOAD_NOTE: Record<ShippingUpload['state'], string> = {
  UPLOADED: '发货信息已同步到微信',
  PENDING: '发货信息暂未同步到微信，系统将自动重试',
  FAILED: '发货信息同步到微信失败，请在微信后台录入发货信息',
}

/** The upload as staff see it. */
export function shippingUploadView(upload: ShippingUpload | undefined): StaffShippingUploadView | null {
  if (!upload) return null
  return {
    state: upload.state,
    attempts: upload.attempts,
    lastError: upload.lastError ?? null,
    uploadedAt: upload.uploadedAt ? upload.uploadedAt.toISOString() : null,
    note: UPLOAD_NOTE[upload.state],
  }
}
