import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware'
import { createStore } from 'zustand/vanilla'
import type { DeliveryAddress } from '../../cloud/payment/contracts'
import { parseStoredAddress } from '../services/address'

export type SavedAddress = DeliveryAddress & { id: string }

export type AddressState = {
  entries: SavedAddress[]
  /** The one the next order goes to. */
  selectedId: string | null
  /** Adds (no `id`) or replaces an entry and selects it; returns its id. */
  save(address: DeliveryAddress, id?: string): string
  remove(id: string): void
  select(id: string): void
}

/** A shopper keeps a short address book; older entries fall off. */
export const MAX_ADDRESSES = 10

export function selectedAddress(state: Pick<AddressState, 'entries' | 'selectedId'>): SavedAddress | null {
  return state.entries.find((entry) => entry.id === state.selectedId) ?? state.entries[0] ?? null
}

/**
 * The shopper's address book, kept on the device under a key per shopper (`shopper`: on H5
 * several local shoppers share one browser; in the mini program storage is already per user).
 * An order never reads it again after it is placed: the server keeps its own copy.
 */
export function createAddressStore(storage: StateStorage, shopper: () => string, newId: () => string = () => Date.now().toString(36)) {
  return createStore<AddressState>()(
    persist(
      (set, get) => ({
        entries: [],
        selectedId: null,
        save(address, id) {
          const entries = get().entries
          const existing = id ? entries.find((entry) => entry.id === id) : undefined
          let savedId = existing?.id ?? newId()
          while (!existing && entries.some((entry) => entry.id === savedId)) savedId = `${savedId}x`
          const saved: SavedAddress = { ...address, id: savedId }
          const next = existing ? entries.map((entry) => (entry.id === savedId ? saved : entry)) : [saved, ...entries].slice(0, MAX_ADDRESSES)
          set({ entries: next, selectedId: savedId })
          return savedId
        },
        remove(id) {
          const entries = get().entries.filter((entry) => entry.id !== id)
          set({ entries, selectedId: get().selectedId === id ? (entries[0]?.id ?? null) : get().selectedId })
        },
        select(id) {
          if (get().entries.some((entry) => entry.id === id)) set({ selectedId: id })
        },
      }),
      {
        name: `addresses:${shopper()}`,
        version: 1,
        storage: createJSONStorage(() => storage),
        partialize: (state) => ({ entries: state.entries, selectedId: state.selectedId }),
        // Whatever storage held is checked with the server's rules again, not trusted.
        merge: (persisted, current) => {
          const raw = (persisted ?? {}) as { entries?: unknown; selectedId?: unknown }
          const entries: SavedAddress[] = []
          for (const item of Array.isArray(raw.entries) ? raw.entries.slice(0, MAX_ADDRESSES) : []) {
            const address = parseStoredAddress(item)
            const id = (item as { id?: unknown }).id
            if (address && typeof id === 'string' && !entries.some((entry) => entry.id === id)) entries.push({ ...address, id })
          }
          const selectedId = typeof raw.selectedId === 'string' && entries.some((entry) => entry.id === raw.selectedId) ? raw.selectedId : null
          return { ...current, entries, selectedId }
        },
      },
    ),
  )
}
