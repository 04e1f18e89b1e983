import { createStore } from 'zustand/vanilla'
import type { OrderView } from '../../cloud/payment/contracts'
import type { Api, CartLineInput } from '../services/api'
import type { Cashier } from '../services/cashier'
import { toUiError, type UiError } from './errors'

export type PayPhase = 'idle' | 'paying' | 'confirming' | 'cancelled' | 'failed'
type Loadable = { status: 'idle' | 'loading' | 'ready' | 'error'; error: UiError | null }

export type OrdersState = {
  byId: Record<string, OrderView>
  detail: Record<string, Loadable>
  list: Loadable & { ids: string[]; nextCursor: string | null }
  checkout: Loadable
  pay: Record<string, { phase: PayPhase; message: string | null }>
  loadOrder(outTradeNo: string): Promise<void>
  refreshList(): Promise<void>
  loadMore(): Promise<void>
  /** Creates the order; a second tap while one is being created gets the same order. */
  placeOrder(lines: CartLineInput[]): Promise<string | null>
  /** Cashier, then the server's answer: the page shows what confirmPayment says, never the client's guess. */
  payOrder(outTradeNo: string): Promise<void>
}

export type OrdersDeps = {
  api: Pick<Api, 'createOrder' | 'queryOrder' | 'listOrders' | 'confirmPayment'>
  cashier: Cashier
  sleep?: (ms: number) => Promise<void>
  newRequestId?: () => string
}

/** Unique enough per shopper; the mini program has no Web Crypto. */
const defaultRequestId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

const PAGE = 10
/** After a "paid" from the cashier the server may not have heard yet: ask again a few times. */
const CONFIRM_BACKOFF_MS = [0, 800, 1600, 3200]

export function createOrdersStore({ api, cashier, sleep = (ms) => new Promise((r) => setTimeout(r, ms)), newRequestId = defaultRequestId }: OrdersDeps) {
  let placing: Promise<string | null> | null = null
  // A checkout that failed keeps its request id: retrying the same cart cannot make a second order.
  let attempt: { cart: string; requestId: string } | null = null
  return createStore<OrdersState>()((set, get) => {
    const put = (order: OrderView): void => set({ byId: { ...get().byId, [order.outTradeNo]: order } })
    const setPay = (id: string, phase: PayPhase, message: string | null = null): void => set({ pay: { ...get().pay, [id]: { phase, message } } })
    const setDetail = (id: string, detail: Loadable): void => set({ detail: { ...get().detail, [id]: detail } })

    const fetchList = async (cursor: string | null): Promise<void> => {
      if (get().list.status === 'loading') return
      set({ list: { ...get().list, status: 'loading', error: null } })
      try {
        const page = await api.listOrders(cursor ? { cursor, limit: PAGE } : { limit: PAGE })
        const byId = { ...get().byId }
        for (const order of page.items) byId[order.outTradeNo] = order
        const ids = cursor ? [...get().list.ids, ...page.items.map((o) => o.outTradeNo)] : page.items.map((o) => o.outTradeNo)
        set({ byId, list: { ids, nextCursor: page.nextCursor, status: 'ready', error: null } })
      } catch (error) {
        set({ list: { ...get().list, status: 'error', error: toUiError(error) } })
      }
    }

    return {
      byId: {},
      detail: {},
      list: { ids: [], nextCursor: null, status: 'idle', error: null },
      checkout: { status: 'idle', error: null },
      pay: {},

      async loadOrder(outTradeNo) {
        setDetail(outTradeNo, { status: 'loading', error: null })
        try {
          put(await api.queryOrder(outTradeNo))
          setDetail(outTradeNo, { status: 'ready', error: null })
        } catch (error) {
          setDetail(outTradeNo, { status: 'error', error: toUiError(error) })
        }
      },
      refreshList: () => fetchList(null),
      loadMore: () => {
        const cursor = get().list.nextCursor
        return cursor ? fetchList(cursor) : Promise.resolve()
      },

      placeOrder(lines) {
        placing ??= (async () => {
          set({ checkout: { status: 'loading', error: null } })
          const cart = JSON.stringify(lines.map(({ goodsId, quantity }) => [goodsId, quantity]))
          if (attempt?.cart !== cart) attempt = { cart, requestId: newRequestId() }
          try {
            const { outTradeNo } = await api.createOrder(lines, attempt.requestId)
            attempt = null
            set({ checkout: { status: 'ready', error: null } })
            return outTradeNo
          } catch (error) {
            set({ checkout: { status: 'error', error: toUiError(error) } })
            return null
          } finally {
            placing = null
          }
        })()
        return placing
      },

      async payOrder(outTradeNo) {
        const phase = get().pay[outTradeNo]?.phase
        if (phase === 'paying' || phase === 'confirming') return
        setPay(outTradeNo, 'paying')
        let order = get().byId[outTradeNo]
        try {
          if (!order?.payment) {
            order = await api.queryOrder(outTradeNo)
            put(order)
          }
          if (!order.payment) {
            setPay(outTradeNo, 'idle', order.status === 'NOTPAY' || order.status === 'PAYERROR' ? '订单已过期，请重新下单' : null)
            return
          }
          const outcome = await cashier({ outTradeNo, totalFee: order.totalFee, payment: order.payment })
          if (outcome.kind === 'cancelled') return setPay(outTradeNo, 'cancelled', '已取消支付，可重新支付')
          if (outcome.kind === 'failed') return setPay(outTradeNo, 'failed', `支付未完成：${outcome.message}`)
          setPay(outTradeNo, 'confirming', '正在确认支付结果…')
          let view = order
          for (const wait of CONFIRM_BACKOFF_MS) {
            if (wait > 0) await sleep(wait)
            view = await api.confirmPayment(outTradeNo)
            put(view)
            if (view.status !== 'NOTPAY' && view.status !== 'PAYERROR') break
          }
          setPay(outTradeNo, 'idle', view.status === 'NOTPAY' || view.status === 'PAYERROR' ? '暂未查询到支付结果，请稍后下拉刷新' : null)
        } catch (error) {
          setPay(outTradeNo, 'failed', toUiError(error).message)
        }
      },
    }
  })
}
