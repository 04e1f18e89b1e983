import { createStore } from 'zustand/vanilla'
import { ORDER_TABS, type DeliveryAddress, type OrderTab, type OrderView } from '../../cloud/payment/contracts'
import type { Api, CartLineInput } from '../services/api'
import type { Cashier } from '../services/cashier'
import { toUiError, type UiError } from './errors'

export type PayPhase = 'idle' | 'paying' | 'confirming' | 'cancelled' | 'failed'
/** How a pay attempt ended, as the server tells it after the cashier: the result page shows this. */
export type PayResult = 'paid' | 'unpaid' | 'cancelled' | 'failed'
type Loadable = { status: 'idle' | 'loading' | 'ready' | 'error'; error: UiError | null }
export type OrderList = Loadable & { ids: string[]; nextCursor: string | null }
/** The shopper's actions on an order besides paying. */
export type OrderActionName = 'cancel' | 'confirmReceipt' | 'afterSale'

export type CheckoutInput = { lines: CartLineInput[]; address: DeliveryAddress; note?: string }

export type OrdersState = {
  byId: Record<string, OrderView>
  detail: Record<string, Loadable>
  /** My orders, one list per tab, each filtered by the server. */
  lists: Record<OrderTab, OrderList>
  checkout: Loadable
  pay: Record<string, { phase: PayPhase; message: string | null }>
  /** The action running on an order (one at a time) and the last one's error. */
  acting: Record<string, { busy: OrderActionName | null; error: UiError | null }>
  loadOrder(outTradeNo: string): Promise<void>
  refreshList(tab?: OrderTab): Promise<void>
  loadMore(tab?: OrderTab): Promise<void>
  /** Creates the order; a second tap while one is being created gets the same order. */
  placeOrder(input: CheckoutInput): Promise<string | null>
  /** Cashier, then the server's answer: the page shows what confirmPayment says, never the client's guess. */
  payOrder(outTradeNo: string): Promise<PayResult>
  /** Unpaid: closed. Paid and not shipped: cancelled and refunded in full. */
  cancelOrder(outTradeNo: string): Promise<boolean>
  confirmReceipt(outTradeNo: string): Promise<boolean>
  requestAfterSale(outTradeNo: string, reason: string): Promise<boolean>
}

export type OrdersDeps = {
  api: Pick<Api, 'createOrder' | 'queryOrder' | 'listOrders' | 'confirmPayment' | 'cancelOrder' | 'confirmReceipt' | 'requestAfterSale'>
  cashier: Cashier
  sleep?: (ms: number) => Promise<void>
  newRequestId?: () => string
}

/** Unique enough per shopper; the mini program has no Web Crypto. */
const defaultRequestId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

const PAGE = 10
/** After a "paid" from the cashier the server may not have heard yet: ask again a few times. */
const CONFIRM_BACKOFF_MS = [0, 800, 1600, 3200]
const unpaid = (order: OrderView): boolean => order.status === 'NOTPAY' || order.status === 'PAYERROR'
const emptyList = (): OrderList => ({ ids: [], nextCursor: null, status: 'idle', error: null })

export function createOrdersStore({ api, cashier, sleep = (ms) => new Promise((r) => setTimeout(r, ms)), newRequestId = defaultRequestId }: OrdersDeps) {
  let placing: Promise<string | null> | null = null
  // A checkout that failed keeps its request id: retrying the same order cannot make a second one.
  let attempt: { key: string; requestId: string } | null = null
  // An after-sale request that failed keeps its request id too.
  const afterSaleAttempts = new Map<string, { reason: string; requestId: string }>()
  return createStore<OrdersState>()((set, get) => {
    const put = (order: OrderView): void => set({ byId: { ...get().byId, [order.outTradeNo]: order } })
    const setPay = (id: string, phase: PayPhase, message: string | null = null): void => set({ pay: { ...get().pay, [id]: { phase, message } } })
    const setDetail = (id: string, detail: Loadable): void => set({ detail: { ...get().detail, [id]: detail } })
    const setList = (tab: OrderTab, list: OrderList): void => set({ lists: { ...get().lists, [tab]: list } })
    const setActing = (id: string, busy: OrderActionName | null, error: UiError | null = null): void =>
      set({ acting: { ...get().acting, [id]: { busy, error } } })

    const fetchList = async (tab: OrderTab, cursor: string | null): Promise<void> => {
      const current = get().lists[tab]
      if (current.status === 'loading') return
      setList(tab, { ...current, status: 'loading', error: null })
      try {
        const page = await api.listOrders({ limit: PAGE, ...(cursor ? { cursor } : {}), ...(tab === 'ALL' ? {} : { tab }) })
        const byId = { ...get().byId }
        for (const order of page.items) byId[order.outTradeNo] = order
        const fetched = page.items.map((o) => o.outTradeNo)
        const ids = cursor ? [...get().lists[tab].ids, ...fetched.filter((id) => !get().lists[tab].ids.includes(id))] : fetched
        set({ byId })
        setList(tab, { ids, nextCursor: page.nextCursor, status: 'ready', error: null })
      } catch (error) {
        setList(tab, { ...get().lists[tab], status: 'error', error: toUiError(error) })
      }
    }

    /** Runs one action on an order; the answer replaces the order, an error is kept for the page. */
    const act = async (outTradeNo: string, name: OrderActionName, run: () => Promise<OrderView>): Promise<boolean> => {
      if (get().acting[outTradeNo]?.busy) return false
      setActing(outTradeNo, name)
      try {
        put(await run())
        setActing(outTradeNo, null)
        return true
      } catch (error) {
        setActing(outTradeNo, null, toUiError(error))
        return false
      }
    }

    return {
      byId: {},
      detail: {},
      lists: Object.fromEntries(ORDER_TABS.map((tab) => [tab, emptyList()])) as Record<OrderTab, OrderList>,
      checkout: { status: 'idle', error: null },
      pay: {},
      acting: {},

      async loadOrder(outTradeNo) {
        setDetail(outTradeNo, { status: 'loading', error: null })
        try {
          put(await api.queryOrder(outTradeNo))
          setDetail(outTradeNo, { status: 'ready', error: null })
        } catch (error) {
          setDetail(outTradeNo, { status: 'error', error: toUiError(error) })
        }
      },
      refreshList: (tab = 'ALL') => fetchList(tab, null),
      loadMore: (tab = 'ALL') => {
        const cursor = get().lists[tab].nextCursor
        return cursor ? fetchList(tab, cursor) : Promise.resolve()
      },

      placeOrder({ lines, address, note }) {
        placing ??= (async () => {
          set({ checkout: { status: 'loading', error: null } })
          const key = JSON.stringify([lines.map(({ goodsId, quantity }) => [goodsId, quantity]), address, note ?? ''])
          if (attempt?.key !== key) attempt = { key, requestId: newRequestId() }
          try {
            const { outTradeNo } = await api.createOrder({ items: lines, address, ...(note ? { note } : {}), requestId: attempt.requestId })
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
        if (phase === 'paying' || phase === 'confirming') return 'failed'
        setPay(outTradeNo, 'paying')
        let order = get().byId[outTradeNo]
        try {
          if (!order?.payment) {
            order = await api.queryOrder(outTradeNo)
            put(order)
          }
          if (!order.payment) {
            setPay(outTradeNo, 'idle', unpaid(order) ? '订单已过期，请重新下单' : null)
            return unpaid(order) ? 'unpaid' : 'paid'
          }
          const outcome = await cashier({ outTradeNo, totalFee: order.totalFee, payment: order.payment })
          if (outcome.kind === 'cancelled') {
            setPay(outTradeNo, 'cancelled', '已取消支付，可重新支付')
            return 'cancelled'
          }
          if (outcome.kind === 'failed') {
            setPay(outTradeNo, 'failed', `支付未完成：${outcome.message}`)
            return 'failed'
          }
          setPay(outTradeNo, 'confirming', '正在确认支付结果…')
          let view = order
          for (const wait of CONFIRM_BACKOFF_MS) {
            if (wait > 0) await sleep(wait)
            view = await api.confirmPayment(outTradeNo)
            put(view)
            if (!unpaid(view)) break
          }
          setPay(outTradeNo, 'idle', unpaid(view) ? '暂未查询到支付结果，请稍后下拉刷新' : null)
          return unpaid(view) ? 'unpaid' : 'paid'
        } catch (error) {
          setPay(outTradeNo, 'failed', toUiError(error).message)
          return 'failed'
        }
      },

      cancelOrder: (outTradeNo) => act(outTradeNo, 'cancel', () => api.cancelOrder(outTradeNo)),
      confirmReceipt: (outTradeNo) => act(outTradeNo, 'confirmReceipt', () => api.confirmReceipt(outTradeNo)),
      requestAfterSale(outTradeNo, reason) {
        const previous = afterSaleAttempts.get(outTradeNo)
        const requestId = previous?.reason === reason ? previous.requestId : newRequestId()
        afterSaleAttempts.set(outTradeNo, { reason, requestId })
        return act(outTradeNo, 'afterSale', async () => {
          const view = await api.requestAfterSale(outTradeNo, reason, requestId)
          afterSaleAttempts.delete(outTradeNo)
          return view
        })
      },
    }
  })
}
