import { create } from 'zustand'
import { CloudError } from '../services/cloud'
import { listGoods, type Goods } from '../services/goods'

export type GoodsStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface GoodsState {
  items: Goods[]
  status: GoodsStatus
  error?: { code: string; message: string }
  load: () => Promise<void>
}

// Concurrent load() calls (mount + pull-down) share one request.
let inflight: Promise<void> | null = null

export const useGoodsStore = create<GoodsState>()(set => ({
  items: [],
  status: 'idle',
  error: undefined,
  load: () => {
    inflight ??= (async () => {
      set({ status: 'loading', error: undefined })
      try {
        const page = await listGoods()
        set({ items: page.items, status: 'ready' })
      } catch (e) {
        const error = e instanceof CloudError
          ? { code: e.code, message: e.message }
          : { code: 'UNKNOWN', message: String(e) }
        set({ status: 'error', error })
      } finally {
        inflight = null
      }
    })()
    return inflight
  }
}))
