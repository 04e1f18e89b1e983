import { createStore } from 'zustand/vanilla'
import type { FulfilmentState, OrderStatus } from '../../cloud/payment/contracts'
import type { StaffOrderView, StaffTotals } from '../../cloud/payment/staffContracts'
import type { AfterSaleInput, RefundInput, ShipInput, StaffApi, StaffOrderRow, StaffOrdersQuery } from '../services/staff'
import { toUiError, type UiError } from './errors'

type Loadable = { status: 'idle' | 'loading' | 'ready' | 'error'; error: UiError | null }

/** What the list is filtered by: the server's filters, dates as ISO instants. */
export type StaffFilter = { status?: OrderStatus; fulfilment?: FulfilmentState; from?: string; to?: string; search?: string }
export type StaffList = Loadable & { filter: StaffFilter; rows: StaffOrderRow[]; totals: StaffTotals | null; nextCursor: string | null }
export type StaffActionName = 'ship' | 'refund' | 'afterSale'
/** `unknown` until a staff call is answered; `forbidden` once the server said FORBIDDEN (a shopper). */
export type StaffAccess = 'unknown' | 'staff' | 'forbidden'

/** Without `requestId`: the store adds it (and keeps it for a retry). */
type Ask<T> = T extends unknown ? Omit<T, 'requestId' | 'outTradeNo'> : never
export type ShipAsk = Ask<ShipInput>
export type RefundAsk = Ask<RefundInput>
export type AfterSaleAsk = Ask<AfterSaleInput>

export type StaffState = {
  access: StaffAccess
  list: StaffList
  byId: Record<string, StaffOrderView>
  detail: Record<string, Loadable>
  /** The action running on an order (one at a time) and the last one's error. */
  acting: Record<string, { busy: StaffActionName | null; error: UiError | null }>
  /** The list for `filter`, from its first page (a newer filter's answer wins over an older one's). */
  search(filter: StaffFilter): Promise<void>
  refresh(): Promise<void>
  loadMore(): Promise<void>
  loadOrder(outTradeNo: string): Promise<void>
  ship(outTradeNo: string, ask: ShipAsk): Promise<boolean>
  refund(outTradeNo: string, ask: RefundAsk): Promise<boolean>
  decideAfterSale(outTradeNo: string, ask: AfterSaleAsk): Promise<boolean>
}

export type StaffDeps = { api: StaffApi; newRequestId?: () => string }

/** Unique enough per staff member, and what the server takes (8–60 of A–Z a–z 0–9 _ -); the mini program has no Web Crypto. */
const defaultRequestId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

const PAGE = 20
/**
 * Answers that say for certain what became of an action (it was refused, nothing happened, or it
 * was answered as done): after them a new attempt is a new request. Anything else (network,
 * gateway, server fault, an unreadable answer) leaves the outcome unknown, and the next attempt
 * in the same place reuses the request id, so it can never ship or refund a second time.
 */
const DEFINITE = new Set(['INVALID_ARGUMENT', 'ORDER_NOT_FOUND', 'ORDER_STATE_CONFLICT', 'REFUND_NOT_ALLOWED', 'FORBIDDEN'])

const emptyList = (): StaffList => ({ filter: {}, rows: [], totals: null, nextCursor: null, status: 'idle', error: null })

/** The list row an order's full view makes (after an action the row shows what it did). */
function rowOf(view: StaffOrderView, row: StaffOrderRow): StaffOrderRow {
  return {
    ...row,
    status: view.status,
    fulfilment: view.fulfilment?.state ?? null,
    paidFee: view.paidFee,
    refundedFee: view.refundedFee,
    afterSalePending: view.afterSales.some((request) => request.state === 'PENDING'),
    shippingUpload: view.shippingUpload?.state ?? row.shippingUpload,
  }
}

function queryOf(filter: StaffFilter, cursor: string | null): StaffOrdersQuery {
  const query: StaffOrdersQuery = { limit: PAGE }
  if (filter.status) query.status = filter.status
  if (filter.fulfilment) query.fulfilment = filter.fulfilment
  if (filter.from) query.from = filter.from
  if (filter.to) query.to = filter.to
  const search = filter.search?.trim()
  if (search) query.search = search
  if (cursor) query.cursor = cursor
  return query
}

export function createStaffStore({ api, newRequestId = defaultRequestId }: StaffDeps) {
  // Request ids of actions whose outcome is unknown, by where they were asked: `ship:<order>`,
  // `refund:<order>`, `afterSale:<order>:<request>`.
  const unresolved = new Map<string, string>()
  // Each list request's number: an answer for an older filter is dropped.
  let listSeq = 0
  return createStore<StaffState>()((set, get) => {
    const seen = (error: unknown): UiError => {
      const ui = toUiError(error)
      if (ui.code === 'FORBIDDEN') set({ access: 'forbidden' })
      return ui
    }
    const put = (view: StaffOrderView): void => {
      const list = get().list
      set({
        access: 'staff',
        byId: { ...get().byId, [view.outTradeNo]: view },
        list: { ...list, rows: list.rows.map((row) => (row.outTradeNo === view.outTradeNo ? rowOf(view, row) : row)) },
      })
    }
    const setActing = (id: string, busy: StaffActionName | null, error: UiError | null = null): void =>
      set({ acting: { ...get().acting, [id]: { busy, error } } })

    const fetchList = async (filter: StaffFilter, cursor: string | null): Promise<void> => {
      const seq = ++listSeq
      set({ list: { ...get().list, filter, status: 'loading', error: null, ...(cursor ? {} : { nextCursor: null }) } })
      try {
        const page = await api.orders(queryOf(filter, cursor))
        if (seq !== listSeq) return
        const rows = cursor ? [...get().list.rows, ...page.items.filter((row) => !get().list.rows.some((r) => r.outTradeNo === row.outTradeNo))] : page.items
        set({ access: 'staff', list: { filter, rows, totals: page.totals, nextCursor: page.nextCursor, status: 'ready', error: null } })
      } catch (error) {
        if (seq !== listSeq) return
        const ui = seen(error)
        // A failed first page shows nothing stale under a new filter; a failed next page keeps what is shown.
        set({ list: { ...get().list, ...(cursor ? {} : { rows: [], totals: null }), nextCursor: cursor, status: 'error', error: ui } })
      }
    }

    /** Runs one action with the slot's request id; the answer replaces the order, an error is kept for the page. */
    const act = async (outTradeNo: string, name: StaffActionName, slot: string, run: (requestId: string) => Promise<StaffOrderView>): Promise<boolean> => {
      if (get().acting[outTradeNo]?.busy) return false
      const requestId = unresolved.get(slot) ?? newRequestId()
      unresolved.set(slot, requestId)
      setActing(outTradeNo, name)
      try {
        put(await run(requestId))
        unresolved.delete(slot)
        setActing(outTradeNo, null)
        return true
      } catch (error) {
        const ui = seen(error)
        if (DEFINITE.has(ui.code)) unresolved.delete(slot)
        setActing(outTradeNo, null, ui)
        return false
      }
    }

    return {
      access: 'unknown',
      list: emptyList(),
      byId: {},
      detail: {},
      acting: {},

      search: (filter) => fetchList(filter, null),
      refresh: () => fetchList(get().list.filter, null),
      loadMore() {
        const { nextCursor, status, filter } = get().list
        return nextCursor && status !== 'loading' ? fetchList(filter, nextCursor) : Promise.resolve()
      },

      async loadOrder(outTradeNo) {
        set({ detail: { ...get().detail, [outTradeNo]: { status: 'loading', error: null } } })
        try {
          put(await api.order(outTradeNo))
          set({ detail: { ...get().detail, [outTradeNo]: { status: 'ready', error: null } } })
        } catch (error) {
          set({ detail: { ...get().detail, [outTradeNo]: { status: 'error', error: seen(error) } } })
        }
      },

      ship: (outTradeNo, ask) => act(outTradeNo, 'ship', `ship:${outTradeNo}`, (requestId) => api.ship({ ...ask, outTradeNo, requestId })),
      refund: (outTradeNo, ask) => act(outTradeNo, 'refund', `refund:${outTradeNo}`, (requestId) => api.refund({ ...ask, outTradeNo, requestId })),
      decideAfterSale: (outTradeNo, ask) =>
        act(outTradeNo, 'afterSale', `afterSale:${outTradeNo}:${ask.afterSaleId}`, (requestId) => api.decideAfterSale({ ...ask, outTradeNo, requestId })),
    }
  })
}

export type StaffStore = ReturnType<typeof createStaffStore>
