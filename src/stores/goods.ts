import { createStore } from 'zustand/vanilla'
import type { GoodsView } from '../../cloud/payment/contracts'
import type { Api } from '../services/api'
import { toUiError, type UiError } from './errors'

export type GoodsState = {
  items: GoodsView[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: UiError | null
  nextCursor: string | null
  /** One goods by id for its detail page (off sale too), with its own loading state. */
  detail: Record<string, { status: 'loading' | 'ready' | 'error'; goods: GoodsView | null; error: UiError | null }>
  loadGoods(id: string): Promise<void>
  /** Loads the first page again (mount, pull-down refresh, retry); concurrent calls share one request. */
  load(): Promise<void>
  loadMore(): Promise<void>
}

export function createGoodsStore(api: Pick<Api, 'listGoods' | 'getGoods'>) {
  let inflight: Promise<void> | null = null
  return createStore<GoodsState>()((set, get) => {
    const fetchPage = (cursor: string | undefined, append: boolean): Promise<void> => {
      inflight ??= (async () => {
        set({ status: 'loading', error: null })
        try {
          const page = await api.listGoods(cursor ? { cursor } : {})
          set({ items: append ? [...get().items, ...page.items] : page.items, nextCursor: page.nextCursor, status: 'ready' })
        } catch (error) {
          set({ status: 'error', error: toUiError(error) })
        } finally {
          inflight = null
        }
      })()
      return inflight
    }
    return {
      items: [],
      status: 'idle',
      error: null,
      nextCursor: null,
      detail: {},
      async loadGoods(id) {
        // What the list already knows shows at once; the server's answer replaces it.
        const known = get().items.find((goods) => goods._id === id) ?? get().detail[id]?.goods ?? null
        set({ detail: { ...get().detail, [id]: { status: 'loading', goods: known, error: null } } })
        try {
          const goods = await api.getGoods(id)
          set({ detail: { ...get().detail, [id]: { status: 'ready', goods, error: null } } })
        } catch (error) {
          set({ detail: { ...get().detail, [id]: { status: 'error', goods: null, error: toUiError(error) } } })
        }
      },
      load: () => fetchPage(undefined, false),
      loadMore: () => {
        const cursor = get().nextCursor
        return cursor ? fetchPage(cursor, true) : Promise.resolve()
      },
    }
  })
}
