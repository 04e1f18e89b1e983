import { createStore } from 'zustand/vanilla'
import type { ReconcileRunView, StaffGoodsView } from '../../cloud/payment/staffContracts'
import type { SaveGoodsInput, StaffGoodsApi } from '../services/staffGoods'
import { toUiError, type UiError } from './errors'

// The console's catalogue and reconcile: the goods list (every item, on sale or not), saving one
// (create or edit), on/off sale, and the reconcile runs. Like the order actions (stores/staff.ts),
// a save keeps its request id until its outcome is known, so a retry after a lost answer never
// creates a goods item twice.

type Status = 'idle' | 'loading' | 'ready' | 'error'
export type GoodsList = { status: Status; error: UiError | null; items: StaffGoodsView[]; nextCursor: string | null }
/** What the edit page sends: the fields, without the request id the store adds. */
export type GoodsDraft = Omit<SaveGoodsInput, 'requestId'>
export type ReconcileState = {
  status: Status
  error: UiError | null
  last: ReconcileRunView | null
  running: boolean
  /** 立即对账 is on its way. */
  busy: boolean
  /** The run-now answer: `ran: false` when another run held the lease. Null before any. */
  outcome: { ran: boolean; running: boolean } | null
  runError: UiError | null
}
/** `unknown` until a staff call is answered; `forbidden` once the server said FORBIDDEN (a shopper). */
export type GoodsAccess = 'unknown' | 'staff' | 'forbidden'

export type StaffGoodsState = {
  access: GoodsAccess
  list: GoodsList
  /** Goods by id: what the list and the answers of saves brought. */
  byId: Record<string, StaffGoodsView>
  /** One goods item's load (the edit page opened on an id the list has not brought). */
  detail: Record<string, { status: Status; error: UiError | null }>
  saving: { busy: boolean; error: UiError | null }
  /** On/off sale in flight, by goods id, and the last one's error. */
  toggling: Record<string, { busy: boolean; error: UiError | null }>
  reconcile: ReconcileState
  refresh(): Promise<void>
  loadMore(): Promise<void>
  /** The item for the edit page: from the list, else the pages until it is found. */
  loadGoods(id: string): Promise<void>
  /** Creates (no `id`) or edits; the saved item, or null with `saving.error` set. */
  save(draft: GoodsDraft): Promise<StaffGoodsView | null>
  clearSaveError(): void
  setOnSale(id: string, onSale: boolean): Promise<boolean>
  loadReconcile(): Promise<void>
  runReconcile(): Promise<boolean>
}

export type StaffGoodsDeps = { api: StaffGoodsApi; newRequestId?: () => string }

/** Unique enough per staff member, and what the server takes (8–60 of A–Z a–z 0–9 _ -); the mini program has no Web Crypto. */
const defaultRequestId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

const PAGE = 20
/**
 * Answers that say for certain nothing (more) happened or it was done: after them a new attempt
 * is a new request. Anything else (network, server fault, an unreadable answer) leaves the outcome
 * unknown, and the next attempt reuses the request id.
 */
const DEFINITE = new Set(['INVALID_ARGUMENT', 'GOODS_NOT_FOUND', 'FORBIDDEN'])

const emptyReconcile = (): ReconcileState => ({ status: 'idle', error: null, last: null, running: false, busy: false, outcome: null, runError: null })

export function createStaffGoodsStore({ api, newRequestId = defaultRequestId }: StaffGoodsDeps) {
  // Request ids of actions whose outcome is unknown, by where they were asked: `save:<id|new>`,
  // `sale:<id>:<on|off>`, `reconcile`.
  const unresolved = new Map<string, string>()
  let listSeq = 0
  // The draft of a create whose outcome is unknown (its request id is `unresolved`'s `save:new`).
  let unsentCreate: GoodsDraft | null = null
  const requestIdFor = (slot: string): string => {
    const id = unresolved.get(slot) ?? newRequestId()
    unresolved.set(slot, id)
    return id
  }
  const settle = (slot: string, error?: UiError): void => {
    if (!error || DEFINITE.has(error.code)) unresolved.delete(slot)
  }

  return createStore<StaffGoodsState>()((set, get) => {
    const seen = (error: unknown): UiError => {
      const ui = toUiError(error)
      if (ui.code === 'FORBIDDEN') set({ access: 'forbidden' })
      return ui
    }
    /** An item as the server now has it: in byId, and in the list where it is (a new one first). */
    const put = (goods: StaffGoodsView): void => {
      const list = get().list
      const listed = list.items.some((item) => item._id === goods._id)
      const items = listed ? list.items.map((item) => (item._id === goods._id ? goods : item)) : [goods, ...list.items]
      set({ access: 'staff', byId: { ...get().byId, [goods._id]: goods }, list: { ...list, items } })
    }

    const fetchPage = async (cursor: string | null): Promise<void> => {
      const seq = ++listSeq
      set({ list: { ...get().list, status: 'loading', error: null } })
      try {
        const page = await api.goods({ limit: PAGE, ...(cursor ? { cursor } : {}) })
        if (seq !== listSeq) return
        const before = cursor ? get().list.items : []
        const items = [...before, ...page.items.filter((item) => !before.some((b) => b._id === item._id))]
        const byId = { ...get().byId }
        for (const item of page.items) byId[item._id] = item
        set({ access: 'staff', byId, list: { items, nextCursor: page.nextCursor, status: 'ready', error: null } })
      } catch (error) {
        if (seq !== listSeq) return
        set({ list: { ...get().list, status: 'error', error: seen(error) } })
      }
    }

    return {
      access: 'unknown',
      list: { status: 'idle', error: null, items: [], nextCursor: null },
      byId: {},
      detail: {},
      saving: { busy: false, error: null },
      toggling: {},
      reconcile: emptyReconcile(),

      refresh: () => fetchPage(null),
      loadMore() {
        const { nextCursor, status } = get().list
        return nextCursor && status !== 'loading' ? fetchPage(nextCursor) : Promise.resolve()
      },

      async loadGoods(id) {
        const mark = (status: Status, error: UiError | null = null): void => set({ detail: { ...get().detail, [id]: { status, error } } })
        mark('loading')
        try {
          const page = await api.goods({ id })
          const found = page.items.find((item) => item._id === id)
          set({ access: 'staff', ...(found ? { byId: { ...get().byId, [id]: found } } : {}) })
          if (found) mark('ready')
          else mark('error', { code: 'GOODS_NOT_FOUND', message: '商品不存在' })
        } catch (error) {
          mark('error', seen(error))
        }
      },

      async save(draft) {
        if (get().saving.busy) return null
        set({ saving: { busy: true, error: null } })
        let slot = `save:${draft.id ?? 'new'}`
        try {
          // A create whose answer was lost may have made the item: that request goes again as it
          // was (the server answers the item it made, or makes it now), and what staff changed
          // since is then an edit of that item — never a second item, never a refused request.
          const earlier = draft.id === undefined ? unsentCreate : null
          if (earlier && JSON.stringify(earlier) !== JSON.stringify(draft)) {
            const made = await api.saveGoods({ ...earlier, requestId: requestIdFor(slot) })
            settle(slot)
            unsentCreate = null
            put(made)
            draft = { ...draft, id: made._id }
            slot = `save:${made._id}`
          }
          if (draft.id === undefined) unsentCreate = draft
          const saved = await api.saveGoods({ ...draft, requestId: requestIdFor(slot) })
          settle(slot)
          if (draft.id === undefined) unsentCreate = null
          put(saved)
          set({ saving: { busy: false, error: null } })
          return saved
        } catch (error) {
          const ui = seen(error)
          settle(slot, ui)
          if (slot === 'save:new' && DEFINITE.has(ui.code)) unsentCreate = null
          set({ saving: { busy: false, error: ui } })
          return null
        }
      },
      clearSaveError: () => set({ saving: { ...get().saving, error: null } }),

      async setOnSale(id, onSale) {
        if (get().toggling[id]?.busy) return false
        const slot = `sale:${id}:${onSale ? 'on' : 'off'}`
        const requestId = requestIdFor(slot)
        const mark = (busy: boolean, error: UiError | null = null): void => set({ toggling: { ...get().toggling, [id]: { busy, error } } })
        mark(true)
        try {
          put(await api.setOnSale({ id, onSale, requestId }))
          settle(slot)
          mark(false)
          return true
        } catch (error) {
          const ui = seen(error)
          settle(slot, ui)
          mark(false, ui)
          return false
        }
      },

      async loadReconcile() {
        set({ reconcile: { ...get().reconcile, status: 'loading', error: null } })
        try {
          const status = await api.reconcileStatus()
          set({ access: 'staff', reconcile: { ...get().reconcile, status: 'ready', error: null, last: status.last, running: status.running } })
        } catch (error) {
          set({ reconcile: { ...get().reconcile, status: 'error', error: seen(error) } })
        }
      },

      async runReconcile() {
        if (get().reconcile.busy) return false
        const requestId = requestIdFor('reconcile')
        set({ reconcile: { ...get().reconcile, busy: true, runError: null } })
        try {
          const answer = await api.runReconcile(requestId)
          settle('reconcile')
          const last = answer.run?.finishedAt ? answer.run : get().reconcile.last
          set({
            access: 'staff',
            reconcile: { ...get().reconcile, busy: false, last, running: answer.running, outcome: { ran: answer.ran, running: answer.running } },
          })
          return answer.ran
        } catch (error) {
          const ui = seen(error)
          settle('reconcile', ui)
          set({ reconcile: { ...get().reconcile, busy: false, runError: ui } })
          return false
        }
      },
    }
  })
}

export type StaffGoodsStore = ReturnType<typeof createStaffGoodsStore>
