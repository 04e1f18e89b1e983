import type { CreateOrderData, DeliveryAddress, GoodsView, OrderTab, OrderView } from '../../cloud/payment/contracts'
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
    /** One goods by id, off sale too (the detail page says so); a missing one is GOODS_NOT_FOUND. */
    async getGoods(id: string): Promise<GoodsView> {
      return parseGoods(await call('listGoods', { id }))
    },
    /** `requestId`: the same for retries of one checkout, so a lost answer never makes two orders. */
    async createOrder(input: { items: CartLineInput[]; address: DeliveryAddress; note?: string; requestId?: string }): Promise<CreateOrderData> {
      const { items, address, note, requestId } = input
      const data = await call('createOrder', {
        items: items.map(({ goodsId, quantity }) => ({ goodsId, quantity })),
        address,
        ...(note ? { note } : {}),
        ...(requestId ? { requestId } : {}),
      })
      if (!isRecord(data) || typeof data['outTradeNo'] !== 'string' || typeof data['totalFee'] !== 'number') throw bad('createOrder', data)
      return { outTradeNo: data['outTradeNo'], totalFee: data['totalFee'], payment: parsePayment(data['payment']) }
    },
    async queryOrder(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('queryOrder', { outTradeNo }))
    },
    async listOrders(params: { cursor?: string; limit?: number; tab?: OrderTab } = {}): Promise<Page<OrderView>> {
      return parsePage(await call('queryOrder', { ...params }), parseOrder, 'queryOrder')
    },
    async confirmPayment(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('confirmPayment', { outTradeNo }))
    },
    /** Unpaid: closed. Paid and not shipped: cancelled and refunded in full. Again: answered as it is. */
    async cancelOrder(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('cancelOrder', { outTradeNo }))
    },
    async confirmReceipt(outTradeNo: string): Promise<OrderView> {
      return parseOrder(await call('orderAction', { action: 'confirmReceipt', outTradeNo }))
    },
    /** Whether the caller is staff (the staff console's `me`): decides if 商家后台 is shown; any refusal or fault is no. */
    async isStaff(): Promise<boolean> {
      return call('staff', { action: 'me' }).then(
        () => true,
        () => false,
      )
    },
    /** `requestId`: the same for retries of one request, so a lost answer never files two. */
    async requestAfterSale(outTradeNo: string, reason: string, requestId: string): Promise<OrderView> {
      return parseOrder(await call('orderAction', { action: 'afterSale', outTradeNo, reason, requestId }))
    },
  }
}

export type Api = ReturnType<typeof createApi>
