import type { PricedLine } from '../core/cart'
import { fen } from '../core/money'
import type { OrderStatus } from '../core/orderState'
import type { PaymentParams } from '../contracts'
import { AppError } from '../errors'
import type { OrderPatch, OrderRecord, OrderRepository } from '../ports'
import type { SdkDatabase } from './sdkTypes'

const STATUSES: readonly OrderStatus[] = ['NOTPAY', 'SUCCESS', 'REFUND', 'CLOSED', 'PAYERROR']

/** Orders in the `orders` collection, `_id` = `outTradeNo` (so the database itself keeps it unique). */
export function orderRepository(db: SdkDatabase): OrderRepository {
  const orders = () => db.collection('orders')
  const _ = db.command
  return {
    async insert(order) {
      await orders().add({ data: { ...order, createdAt: db.serverDate(), updatedAt: db.serverDate() } })
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
    async transition(outTradeNo, from, to, patch) {
      const { stats } = await orders()
        .where({ _id: outTradeNo, status: _.in([...from]) })
        .update({ data: { ...patch, status: to, updatedAt: db.serverDate() } })
      return stats.updated === 1
    },
    async patch(outTradeNo, whileIn, patch: OrderPatch) {
      const { stats } = await orders()
        .where({ _id: outTradeNo, status: _.in([...whileIn]) })
        .update({ data: { ...patch, updatedAt: db.serverDate() } })
      return stats.updated === 1
    },
  }
}

function parseOrder(raw: unknown): OrderRecord {
  const doc = raw as Record<string, unknown>
  const status = doc['status']
  if (typeof doc['_id'] !== 'string' || !STATUSES.includes(status as OrderStatus) || !Array.isArray(doc['items'])) {
    throw new AppError('INTERNAL', 'a stored order is malformed', { cause: raw })
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
    createdAt: date(doc['createdAt']),
    updatedAt: date(doc['updatedAt']),
    expireAt: date(doc['expireAt']),
  }
}
