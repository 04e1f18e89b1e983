import { AFTER_SALE_FULFILMENT, type AfterSaleEntry } from '../core/afterSale'
import type { PricedLine } from '../core/cart'
import { fulfilmentSourcesOf, INITIAL_FULFILMENT, isFulfilmentState, orderStatusesFor, type Fulfilment, type FulfilmentState } from '../core/fulfilment'
import { fen } from '../core/money'
import { isClosedUnpaid, isOrderStatus, isPayable, ORDER_STATUSES, sourcesOf, type OrderStatus } from '../core/orderState'
import type { OrderFilter } from '../core/orderTabs'
import { AFTER_SALE_STATES, type DeliveryAddress, type PaymentParams } from '../contracts'
import { AppError } from '../errors'
import { paidAmount } from '../core/refund'
import type { OrderPatch, OrderRecord, OrderRepository, RefundEntry, ShippingUpload, StaffOrderQuery, StaffOrders } from '../ports'
import { insertOnce } from './insertOnce'
import type { SdkDatabase } from './sdkTypes'

const PAYABLE: readonly OrderStatus[] = ORDER_STATUSES.filter(isPayable)
const CLOSED_UNPAID: readonly OrderStatus[] = ORDER_STATUSES.filter(isClosedUnpaid)

/**
 * Orders in the `orders` collection, `_id` = `outTradeNo` (so the database itself keeps it unique).
 * Two stored marks exist only for queries and conditions, never read back: `inAfterSale` (the
 * 退款售后 tab, core/orderTabs `isInAfterSale`), set by every update that puts an order there,
 * and `afterSalePending`, true while an after-sale request waits for staff.
 */
export function orderRepository(db: SdkDatabase): OrderRepository & StaffOrders {
  const orders = () => db.collection('orders')
  const _ = db.command
  /** One conditional fulfilment change (core/fulfilment.ts): the table's source states and the order statuses it needs. */
  const fulfil = async (outTradeNo: string, to: FulfilmentState, fields: Record<string, unknown>): Promise<boolean> => {
    const { stats } = await orders()
      .where({ _id: outTradeNo, status: _.in([...orderStatusesFor(to)]), 'fulfilment.state': _.in([...fulfilmentSourcesOf(to)]) })
      .update({ data: { 'fulfilment.state': to, ...fields, updatedAt: db.serverDate() } })
    return stats.updated === 1
  }
  const filterOf = (filter: OrderFilter): Record<string, unknown> => ({
    ...(filter.statuses ? { status: _.in([...filter.statuses]) } : {}),
    ...(filter.expiresAfter ? { expireAt: _.gt(filter.expiresAfter) } : {}),
    ...(filter.fulfilment ? { 'fulfilment.state': filter.fulfilment } : {}),
    ...(filter.inAfterSale ? { inAfterSale: true } : {}),
  })
  // The SDK's range commands chain (`_.gte(a).and(_.lt(b))`); sdkTypes.ts models only what the rest uses.
  const range = _ as unknown as { gte(value: unknown): { and(other: unknown): unknown }; lt(value: unknown): unknown }
  const staffWhere = (query: StaffOrderQuery): Record<string, unknown> => {
    const where: Record<string, unknown> = {}
    if (query.outTradeNo) where['_id'] = query.outTradeNo
    if (query.mobile) where['address.mobile'] = query.mobile
    if (query.status) where['status'] = query.status
    if (query.fulfilment) where['fulfilment.state'] = query.fulfilment
    if (query.from && query.to) where['createdAt'] = range.gte(query.from).and(range.lt(query.to))
    else if (query.from) where['createdAt'] = range.gte(query.from)
    else if (query.to) where['createdAt'] = range.lt(query.to)
    return where
  }
  /** One keyset page of the staff list's filter, newest first. */
  const staffPage = async (query: StaffOrderQuery, cursor: string | undefined, limit: number): Promise<OrderRecord[]> => {
    const where = staffWhere(query)
    if (cursor) {
      // An exact order number is one document at most: past the cursor, or nothing.
      if (query.outTradeNo !== undefined) {
        if (query.outTradeNo >= cursor) return []
      } else where['_id'] = _.lt(cursor)
    }
    const { data } = await orders().where(where).orderBy('_id', 'desc').limit(limit).get()
    return data.map(parseOrder)
  }
  return {
    async insert(order) {
      return insertOnce(db, 'orders', {
        ...order,
        refundReservedFee: 0,
        refundedFee: 0,
        refundsPending: 0,
        refunds: {},
        createdAt: db.serverDate(),
        updatedAt: db.serverDate(),
      })
    },
    async get(outTradeNo) {
      const { data } = await orders().where({ _id: outTradeNo }).limit(1).get()
      return data[0] === undefined ? null : parseOrder(data[0])
    },
    async listByOpenid(openid, cursor, limit, filter = {}) {
      const where: Record<string, unknown> = { ...filterOf(filter), _openid: openid }
      if (cursor) where['_id'] = _.lt(cursor)
      const { data } = await orders().where(where).orderBy('_id', 'desc').limit(limit).get()
      return data.map(parseOrder)
    },
    async transition(outTradeNo, to, patch, guard) {
      const { stats } = await orders()
        .where({ _id: outTradeNo, status: _.in([...sourcesOf(to)]), ...(guard ? { refundedFee: guard.refundedFee } : {}) })
        .update({ data: { ...patch, status: to, ...(to === 'SUCCESS' ? { fulfilment: { state: INITIAL_FULFILMENT } } : {}), updatedAt: db.serverDate() } })
      return stats.updated === 1
    },
    async markPaid(outTradeNo, from, paid) {
      if (!isPayable(from)) return false
      const { stats } = await orders()
        // The amount and the merchant are in the filter: this update is the payment's only check when it matches.
        .where({ _id: outTradeNo, status: from, totalFee: paid.totalFee, mchId: paid.mchId })
        .update({
          data: {
            status: 'SUCCESS',
            tradeState: 'SUCCESS',
            transactionId: paid.transactionId,
            ...(paid.timeEnd ? { timeEnd: paid.timeEnd } : {}),
            fulfilment: { state: INITIAL_FULFILMENT },
            updatedAt: db.serverDate(),
          },
        })
      return stats.updated === 1
    },
    async patch(outTradeNo, whileIn, patch: OrderPatch) {
      const { stats } = await orders()
        .where({ _id: outTradeNo, status: whileIn })
        .update({ data: { ...patch, updatedAt: db.serverDate() } })
      return stats.updated === 1
    },
    async listUnpaid(before, limit) {
      const { data } = await orders()
        .where({ status: _.in([...PAYABLE]), createdAt: _.lt(before) })
        .orderBy('reconciledAt', 'asc')
        .orderBy('createdAt', 'asc')
        .limit(limit)
        .get()
      return data.map(parseOrder)
    },
    async listWithPendingRefunds(limit) {
      const { data } = await orders()
        .where({ refundsPending: _.gt(0) })
        .orderBy('refundsCheckedAt', 'asc')
        .orderBy('updatedAt', 'asc')
        .limit(limit)
        .get()
      return data.map(parseOrder)
    },
    async markChecked(outTradeNo, what) {
      await orders()
        .where({ _id: outTradeNo })
        .update({ data: { [what]: db.serverDate() } })
    },
    async reserveRefund(outTradeNo, entry, expect) {
      const { stats } = await orders()
        .where({
          _id: outTradeNo,
          status: expect.status,
          refundReservedFee: _.lte(expect.paidFee - entry.refundFee),
          [`refunds.${entry.outRefundNo}`]: _.exists(false),
        })
        .update({
          data: {
            refundReservedFee: _.inc(entry.refundFee),
            refundsPending: _.inc(1),
            [`refunds.${entry.outRefundNo}`]: { ...entry, createdAt: db.serverDate() },
            inAfterSale: true,
            updatedAt: db.serverDate(),
          },
        })
      return stats.updated === 1
    },
    async settleRefund(outTradeNo, outRefundNo, refundFee, outcome) {
      const key = `refunds.${outRefundNo}`
      const data: Record<string, unknown> =
        outcome.status === 'SUCCESS'
          ? { [`${key}.status`]: 'SUCCESS', [`${key}.settledAt`]: db.serverDate(), refundedFee: _.inc(refundFee) }
          : {
              [`${key}.status`]: 'FAILED',
              [`${key}.failure`]: outcome.failure.slice(0, 300),
              [`${key}.settledAt`]: db.serverDate(),
              refundReservedFee: _.inc(-refundFee),
            }
      const { stats } = await orders()
        .where({ _id: outTradeNo, [`${key}.status`]: 'PROCESSING', [`${key}.refundFee`]: refundFee })
        .update({ data: { ...data, refundsPending: _.inc(-1), updatedAt: db.serverDate() } })
      if (stats.updated === 1 || outcome.status !== 'SUCCESS') return stats.updated === 1
      // Marked FAILED earlier, yet the money went back: the gateway is the truth.
      const late = await orders()
        .where({ _id: outTradeNo, [`${key}.status`]: 'FAILED', [`${key}.refundFee`]: refundFee })
        .update({ data: { ...data, [`${key}.failure`]: _.remove(), refundReservedFee: _.inc(refundFee), updatedAt: db.serverDate() } })
      return late.stats.updated === 1
    },
    async recordLatePayment(outTradeNo, late) {
      const { stats } = await orders()
        .where({ _id: outTradeNo, status: _.in([...CLOSED_UNPAID]), latePayment: _.exists(false) })
        .update({ data: { latePayment: late, updatedAt: db.serverDate() } })
      return stats.updated === 1
    },
    markShipped(outTradeNo, { carrier, trackingNo, at, requestId, upload }) {
      return fulfil(outTradeNo, 'SHIPPED', {
        'fulfilment.carrier': carrier,
        'fulfilment.trackingNo': trackingNo,
        'fulfilment.shippedAt': at,
        ...(requestId === undefined ? {} : { shipRequestId: requestId }),
        ...(upload ? { shippingUpload: { state: 'PENDING', attempts: 0 } } : {}),
      })
    },
    async updateShippingUpload(outTradeNo, expect, to) {
      // Field by field: an object value would be merged into the stored one, keeping a stale claim or error.
      const field = (value: unknown): unknown => (value === undefined ? _.remove() : value)
      const { stats } = await orders()
        .where({ _id: outTradeNo, 'shippingUpload.state': 'PENDING', 'shippingUpload.attempts': expect.attempts })
        .update({
          data: {
            'shippingUpload.state': to.state,
            'shippingUpload.attempts': to.attempts,
            'shippingUpload.claimedAt': field(to.claimedAt),
            'shippingUpload.lastError': field(to.lastError),
            'shippingUpload.uploadedAt': field(to.uploadedAt),
            updatedAt: db.serverDate(),
          },
        })
      return stats.updated === 1
    },
    async listPendingShippingUploads(limit) {
      const { data } = await orders().where({ 'shippingUpload.state': 'PENDING' }).orderBy('fulfilment.shippedAt', 'asc').limit(limit).get()
      return data.map(parseOrder)
    },
    confirmReceipt(outTradeNo, { at, auto }) {
      return fulfil(outTradeNo, 'RECEIVED', { 'fulfilment.receivedAt': at, 'fulfilment.autoReceived': auto })
    },
    cancelFulfilment(outTradeNo, at) {
      return fulfil(outTradeNo, 'CANCELLED', { 'fulfilment.cancelledAt': at, inAfterSale: true })
    },
    async listShippedBefore(shippedBy, limit) {
      const { data } = await orders()
        .where({ 'fulfilment.state': 'SHIPPED', 'fulfilment.shippedAt': _.lte(shippedBy) })
        .orderBy('fulfilment.shippedAt', 'asc')
        .limit(limit)
        .get()
      return data.map(parseOrder)
    },
    async listCancelledUnrefunded(limit) {
      const { data } = await orders()
        .where({ status: 'SUCCESS', 'fulfilment.state': 'CANCELLED', refundsPending: 0 })
        .orderBy('cancelCheckedAt', 'asc')
        .orderBy('updatedAt', 'asc')
        .limit(limit)
        .get()
      return data.map(parseOrder)
    },
    async fileAfterSale(outTradeNo, entry, expect) {
      const { stats } = await orders()
        .where({
          _id: outTradeNo,
          status: 'SUCCESS',
          'fulfilment.state': _.in([...AFTER_SALE_FULFILMENT]),
          refundReservedFee: _.lt(expect.paidFee),
          afterSalePending: _.neq(true),
          [`afterSales.${entry.id}`]: _.exists(false),
        })
        .update({
          data: {
            [`afterSales.${entry.id}`]: { ...entry, createdAt: db.serverDate() },
            afterSalePending: true,
            inAfterSale: true,
            updatedAt: db.serverDate(),
          },
        })
      return stats.updated === 1
    },
    listForStaff(query, cursor, limit) {
      return staffPage(query, cursor, limit)
    },
    async totalsForStaff(query, limit) {
      const PAGE = 200
      let orders = 0
      let paid = 0
      let refunded = 0
      let capped = false
      let cursor: string | undefined
      for (;;) {
        const want = Math.min(PAGE, limit - orders)
        if (want === 0) {
          capped = (await staffPage(query, cursor, 1)).length > 0
          break
        }
        const page = await staffPage(query, cursor, want)
        for (const order of page) {
          orders += 1
          paid += paidAmount(order)
          refunded += order.refundedFee
        }
        const last = page[page.length - 1]
        if (!last || page.length < want) break
        cursor = last._id
      }
      return { orders, paidFee: fen(paid, 'paidFee'), refundedFee: fen(refunded, 'refundedFee'), capped }
    },
    async decideAfterSale(outTradeNo, id, decision) {
      const key = `afterSales.${id}`
      const { stats } = await orders()
        .where({ _id: outTradeNo, [`${key}.state`]: 'PENDING' })
        .update({
          data: {
            [`${key}.state`]: decision.state,
            [`${key}.decidedAt`]: decision.decidedAt,
            ...(decision.reply === undefined ? {} : { [`${key}.reply`]: decision.reply }),
            ...(decision.outRefundNo === undefined ? {} : { [`${key}.outRefundNo`]: decision.outRefundNo }),
            afterSalePending: false,
            updatedAt: db.serverDate(),
          },
        })
      return stats.updated === 1
    },
  }
}

function parseOrder(raw: unknown): OrderRecord {
  const doc = raw as Record<string, unknown>
  const status = doc['status']
  if (typeof doc['_id'] !== 'string' || !isOrderStatus(status) || !Array.isArray(doc['items'])) {
    throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: 'a stored order is malformed', cause: raw })
  }
  const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)))
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
  return {
    _id: doc['_id'],
    outTradeNo: String(doc['outTradeNo']),
    _openid: String(doc['_openid']),
    items: doc['items'] as PricedLine[],
    totalFee: fen(doc['totalFee'], 'totalFee'),
    status: status as OrderStatus,
    mode: doc['mode'] === 'merchant' ? 'merchant' : 'cloudpay',
    mchId: String(doc['mchId'] ?? ''),
    tradeState: text(doc['tradeState']) as OrderRecord['tradeState'],
    transactionId: text(doc['transactionId']),
    timeEnd: text(doc['timeEnd']),
    prepayId: text(doc['prepayId']),
    payment: (doc['payment'] ?? undefined) as PaymentParams | undefined,
    gatewayError: text(doc['gatewayError']),
    clientIp: text(doc['clientIp']),
    requestId: text(doc['requestId']),
    ...(typeof doc['requestFingerprint'] === 'string' ? { requestFingerprint: doc['requestFingerprint'] } : {}),
    ...storedAddress(doc['address']),
    ...(typeof doc['note'] === 'string' ? { note: doc['note'] } : {}),
    refundReservedFee: fen(doc['refundReservedFee'] ?? 0, 'refundReservedFee'),
    refundedFee: fen(doc['refundedFee'] ?? 0, 'refundedFee'),
    refundsPending: Number(doc['refundsPending'] ?? 0),
    refunds: parseRefunds(doc['refunds']),
    latePayment: parseLatePayment(doc['latePayment']),
    ...parseFulfilment(doc['fulfilment']),
    afterSales: parseAfterSales(doc['afterSales']),
    ...(typeof doc['shipRequestId'] === 'string' ? { shipRequestId: doc['shipRequestId'] } : {}),
    ...parseShippingUpload(doc['shippingUpload']),
    createdAt: date(doc['createdAt']),
    updatedAt: date(doc['updatedAt']),
    expireAt: date(doc['expireAt']),
  }
}

function parseShippingUpload(raw: unknown): { shippingUpload?: ShippingUpload } {
  if (typeof raw !== 'object' || raw === null) return {}
  const u = raw as Record<string, unknown>
  const state = u['state'] === 'UPLOADED' || u['state'] === 'FAILED' ? u['state'] : 'PENDING'
  const date = (value: unknown): Date | undefined => (value instanceof Date ? value : value ? new Date(String(value)) : undefined)
  const claimedAt = date(u['claimedAt'])
  const uploadedAt = date(u['uploadedAt'])
  return {
    shippingUpload: {
      state,
      attempts: Number.isSafeInteger(u['attempts']) ? Number(u['attempts']) : 0,
      ...(claimedAt ? { claimedAt } : {}),
      ...(typeof u['lastError'] === 'string' ? { lastError: u['lastError'] } : {}),
      ...(uploadedAt ? { uploadedAt } : {}),
    },
  }
}

function parseRefunds(raw: unknown): Record<string, RefundEntry> {
  const out: Record<string, RefundEntry> = {}
  if (typeof raw !== 'object' || raw === null) return out
  for (const [key, value] of Object.entries(raw)) {
    const r = value as Record<string, unknown>
    if (typeof r !== 'object' || r === null) continue
    const status = r['status'] === 'SUCCESS' || r['status'] === 'FAILED' ? r['status'] : 'PROCESSING'
    out[key] = {
      outRefundNo: key,
      refundFee: fen(r['refundFee'], 'refundFee'),
      status,
      requestedBy: String(r['requestedBy'] ?? ''),
      ...(typeof r['reason'] === 'string' ? { reason: r['reason'] } : {}),
      ...(typeof r['failure'] === 'string' ? { failure: r['failure'] } : {}),
      createdAt: r['createdAt'] instanceof Date ? r['createdAt'] : new Date(String(r['createdAt'])),
      ...(r['settledAt'] ? { settledAt: r['settledAt'] instanceof Date ? r['settledAt'] : new Date(String(r['settledAt'])) } : {}),
    }
  }
  return out
}

function parseLatePayment(raw: unknown): OrderRecord['latePayment'] {
  if (typeof raw !== 'object' || raw === null) return undefined
  const r = raw as Record<string, unknown>
  return {
    transactionId: String(r['transactionId']),
    totalFee: fen(r['totalFee'], 'latePayment.totalFee'),
    ...(typeof r['timeEnd'] === 'string' ? { timeEnd: r['timeEnd'] } : {}),
  }
}

const optionalDate = (value: unknown): Date | undefined =>
  value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined

/** Absent until the order is paid (and on orders paid before fulfilment existed). */
function parseFulfilment(raw: unknown): { fulfilment?: Fulfilment } {
  if (typeof raw !== 'object' || raw === null) return {}
  const r = raw as Record<string, unknown>
  if (!isFulfilmentState(r['state'])) return {}
  const fields: Fulfilment = { state: r['state'] }
  if (typeof r['carrier'] === 'string') fields.carrier = r['carrier']
  if (typeof r['trackingNo'] === 'string') fields.trackingNo = r['trackingNo']
  const shippedAt = optionalDate(r['shippedAt'])
  if (shippedAt) fields.shippedAt = shippedAt
  const receivedAt = optionalDate(r['receivedAt'])
  if (receivedAt) fields.receivedAt = receivedAt
  if (typeof r['autoReceived'] === 'boolean') fields.autoReceived = r['autoReceived']
  const cancelledAt = optionalDate(r['cancelledAt'])
  if (cancelledAt) fields.cancelledAt = cancelledAt
  return { fulfilment: fields }
}

function parseAfterSales(raw: unknown): Record<string, AfterSaleEntry> {
  const out: Record<string, AfterSaleEntry> = {}
  if (typeof raw !== 'object' || raw === null) return out
  for (const [id, value] of Object.entries(raw)) {
    if (typeof value !== 'object' || value === null) continue
    const r = value as Record<string, unknown>
    const state = AFTER_SALE_STATES.find((s) => s === r['state']) ?? 'PENDING'
    const decidedAt = optionalDate(r['decidedAt'])
    out[id] = {
      id,
      reason: String(r['reason'] ?? ''),
      state,
      createdAt: optionalDate(r['createdAt']) ?? new Date(0),
      ...(decidedAt ? { decidedAt } : {}),
      ...(typeof r['reply'] === 'string' ? { reply: r['reply'] } : {}),
    }
  }
  return out
}

const ADDRESS_FIELDS = ['recipient', 'mobile', 'province', 'city', 'district', 'detail'] as const

/** Orders made before addresses (or without one) have none; a stored address is read back field by field. */
function storedAddress(raw: unknown): { address?: DeliveryAddress } {
  if (typeof raw !== 'object' || raw === null) return {}
  const r = raw as Record<string, unknown>
  const address = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, typeof r[field] === 'string' ? r[field] : ''])) as DeliveryAddress
  return { address }
}
