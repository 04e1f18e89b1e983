import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware'
import { createStore } from 'zustand/vanilla'
import { CART_LIMITS, type GoodsView } from '../../cloud/payment/contracts'

/** The price is a snapshot for display; the order is always priced by the server. */
export type CartLine = { goodsId: string; name: string; priceFen: number; pic: string; quantity: number }

export type CartState = {
  lines: CartLine[]
  /** Adds one more (or `quantity` more) of a goods; false when the cart is full. */
  add(goods: GoodsView, quantity?: number): boolean
  setQuantity(goodsId: string, quantity: number): void
  remove(goodsId: string): void
  removeMany(goodsIds: string[]): void
  clear(): void
}

const clamp = (n: number): number => Math.min(CART_LIMITS.maxQuantity, Math.max(1, Math.floor(n)))

export function cartTotalFen(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.priceFen * line.quantity, 0)
}

export function cartCount(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0)
}

/** The cart, kept across restarts in the platform's storage (Taro storage in the app). */
export function createCartStore(storage: StateStorage) {
  return createStore<CartState>()(
    persist(
      (set, get) => ({
        lines: [],
        add(goods, quantity = 1) {
          const lines = get().lines
          const existing = lines.find((line) => line.goodsId === goods._id)
          if (!existing && lines.length >= CART_LIMITS.maxLines) return false
          const next = existing
            ? lines.map((line) => (line.goodsId === goods._id ? { ...line, quantity: clamp(line.quantity + quantity) } : line))
            : [...lines, { goodsId: goods._id, name: goods.name, priceFen: goods.priceFen, pic: goods.pic, quantity: clamp(quantity) }]
          set({ lines: next })
          return true
        },
        setQuantity(goodsId, quantity) {
          if (!Number.isFinite(quantity)) return
          set({ lines: get().lines.map((line) => (line.goodsId === goodsId ? { ...line, quantity: clamp(quantity) } : line)) })
        },
        remove(goodsId) {
          set({ lines: get().lines.filter((line) => line.goodsId !== goodsId) })
        },
        removeMany(goodsIds) {
          set({ lines: get().lines.filter((line) => !goodsIds.includes(line.goodsId)) })
        },
        clear() {
          set({ lines: [] })
        },
      }),
      {
        name: 'cart',
        version: 1,
        storage: createJSONStorage(() => storage),
        partialize: (state) => ({ lines: state.lines }),
        // Whatever storage held is parsed, not trusted.
        merge: (persisted, current) => ({ ...current, lines: parseLines((persisted as { lines?: unknown } | undefined)?.lines) }),
      },
    ),
  )
}

function parseLines(value: unknown): CartLine[] {
  if (!Array.isArray(value)) return []
  return value
    .filter(
      (l): l is CartLine =>
        typeof l === 'object' &&
        l !== null &&
        typeof l.goodsId === 'string' &&
        typeof l.name === 'string' &&
        Number.isSafeInteger(l.priceFen) &&
        Number.isInteger(l.quantity),
    )
    .slice(0, CART_LIMITS.maxLines)
    .map((l) => ({ goodsId: l.goodsId, name: l.name, priceFen: l.priceFen, pic: typeof l.pic === 'string' ? l.pic : '', quantity: clamp(l.quantity) }))
}
