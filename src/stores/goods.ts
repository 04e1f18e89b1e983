import { createStore } from 'zustand/vanilla'
import type { GoodsView } from '../../cloud/payment/contracts'
import type { Api } from '../services/api'
import { toUiError, type UiError } from './errors'

export type GoodsState = {
  items: GoodsView[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: UiError | null
  nextCursor: string | null
  /** Loads the first page again (mount, pull-down refresh, retry); concurrent calls share one request. */
  load(): Promise<void>
  loadMore(): Promise<void>
}

export function createGoodsStore(api: Pick<Api, 'listGoods'>) {
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
      load: () => fetchPage(undefined, false),
      loadMore: () => {
        const cursor = get().nextCursor
        return cursor ? fetchPage(cursor, true) : Promise.resolve()
      },
    }
  })
}
