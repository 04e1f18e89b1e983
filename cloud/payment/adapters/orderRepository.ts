import type { PricedLine } from '../core/cart'
import { fen } from '../core/money'
import { isClosedUnpaid, isOrderStatus, isPayable, ORDER_STATUSES, sourcesOf, type OrderStatus } from '../core/orderState'
import type { DeliveryAddress, PaymentParams } from '../contracts'
import { AppError } from '../errors'
import type { OrderPatch, OrderRecord, OrderRepository, RefundEntry } from '../ports'
import { insertOnce } from './insertOnce'
import type { SdkDatabase } from './sdkTypes'

const PAYABLE: readonly OrderStatus[] = ORDER_STATUSES.filter(isPayable)
const CLOSED_UNPAID: readonly OrderStatus[] = ORDER_STATUSES.filter(isClosedUnpaid)

/** Orders in the `orders` collection, `_id` = `outTradeNo` (so the database itself keeps it unique). */
export function orderRepository(db: SdkDatabase): OrderRepository {
  const orders = () => db.collection('orders')
  const _ = db.command
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
    async listByOpenid(openid, cursor, limit) {
      const where: Record<string, unknown> = { _openid: openid }
      if (cursor) where['_id'] = _.lt(cursor)
      const { data } = await orders().where(where).orderBy('_id', 'desc').limit(limit).get()
      return data.map(parseOrder)
    },
    async transition(outTradeNo, to, patch, guard) {
      const { stats } = await orders()
        .where({ _id: outTradeNo, status: _.in([...sourcesOf(to)]), ...(guard ? { refundedFee: guard.refundedFee } : {}) })
        .update({ data: { ...patch, status: to, updatedAt: db.serverDate() } })
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
    ...storedAddress(doc['address']),
    ...(typeof doc['note'] === 'string' ? { note: doc['note'] } : {}),
    refundReservedFee: fen(doc['refundReservedFee'] ?? 0, 'refundReservedFee'),
    refundedFee: fen(doc['refundedFee'] ?? 0, 'refundedFee'),
    refundsPending: Number(doc['refundsPending'] ?? 0),
    refunds: parseRefunds(doc['refunds']),
    latePayment: parseLatePayment(doc['latePayment']),
    createdAt: date(doc['createdAt']),
    updatedAt: date(doc['updatedAt']),
    expireAt: date(doc['expireAt']),
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

const ADDRESS_FIELDS = ['recipient', 'mobile', 'province', 'city', 'district', 'detail'] as const

/** Orders made before addresses (or without one) have none; a stored address is read back field by field. */
function storedAddress(raw: unknown): { address?: DeliveryAddress } {
  if (typeof raw !== 'object' || raw === null) return {}
  const r = raw as Record<string, unknown>
  const address = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, typeof r[field] === 'string' ? r[field] : ''])) as DeliveryAddress
  return { address }
}
