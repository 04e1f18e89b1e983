import type { CreateOrderData, GoodsView, OrderView } from '../../cloud/payment/contracts'
import { isRecord } from '../utils/guards'
import { bad, parseGoods, parseOrder, parsePage, parsePayment } from './parse'
import type { Transport } from './transport'

export type Page<T> = { items: T[]; nextCursor: string | null }
export type CartLineInput = { goodsId: string; quantity: number }

/** One typed call per cloud function; pages reach these only through the stores. */
export function createApi(call: Transport) {
  return {
    async listGoods(params: { cursor?: string; limit?: number } = {}): Promise<Page<GoodsView>> {
      return parsePage(await call('listGoods', { ...params }), parseGoods, 'listGoods')
    },
    /** `requestId`: the same for retries of one checkout, so a lost answer never makes two orders. */
    async createOrder(items: CartLineInput[], requestId?: string): Promise<CreateOrderData> {
      const data = await call('createOrder', { items: items.map(({ goodsId, quantity }) => ({ goodsId, quantity })), ...(requestId ? { requestId } : {}) })
      if (!isRecord(data) || typeof data['outTradeNo'] !== 'string' || typeof data['totalFee'] !== 'number') throw bad('createOrder', data)
      return { outTradeNo: data['outTradeNo'], totalFee: data['totalFee'], payment: parsePayment(data['payment']) }
    },
    async queryOrder(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('queryOrder', { outTradeNo }))
    },
    async listOrders(params: { cursor?: string; limit?: number } = {}): Promise<Page<OrderView>> {
      return parsePage(await call('queryOrder', { ...params }), parseOrder, 'queryOrder')
    },
    async confirmPayment(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('confirmPayment', { outTradeNo }))
    },
    /** Only an unpaid order can be cancelled; a closed one answers as it is. */
    async cancelOrder(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('cancelOrder', { outTradeNo }))
    },
  }
}

export type Api = ReturnType<typeof createApi>
