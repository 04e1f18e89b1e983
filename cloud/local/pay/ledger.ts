// Trades, refunds and notifications: durable in the store, mirrored in memory for reads.
// Every change runs inside `serial`, is written to the store first, and only then becomes
// visible in memory, so an answer never reports a change the store did not take.
import { PaySimError } from './errors'
import type { SimStore } from './ports'
import {
  NOTIFICATIONS,
  REFUNDS,
  TRADES,
  parseNotification,
  parseRefund,
  parseTrade,
  toDoc,
  type NotificationRecord,
  type RefundRecord,
  type TradeMode,
  type TradeRecord,
} from './records'

export interface Ledger {
  /** Loads what the store holds; idempotent. */
  load(): Promise<void>
  /** Runs state changes one at a time. */
  serial<T>(fn: () => Promise<T>): Promise<T>
  trade(id: string): TradeRecord | undefined
  trades(): TradeRecord[]
  refund(id: string): RefundRecord | undefined
  refunds(): RefundRecord[]
  notification(id: string): NotificationRecord | undefined
  notifications(): NotificationRecord[]
  findTradeByTransactionId(mode: TradeMode, mchId: string, transactionId: string): TradeRecord | undefined
  saveTrade(record: TradeRecord): Promise<void>
  saveRefund(record: RefundRecord): Promise<void>
  saveNotification(record: NotificationRecord): Promise<void>
  /** Documents in the store that could not be read back. */
  skippedDocuments(): number
}

export function createLedger(store: SimStore): Ledger {
  const trades = new Map<string, TradeRecord>()
  const refunds = new Map<string, RefundRecord>()
  const notifications = new Map<string, NotificationRecord>()
  let loading: Promise<void> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let skipped = 0

  async function loadInto<T extends { _id: string }>(collection: string, parse: (d: unknown) => T | undefined, into: Map<string, T>) {
    for (const doc of await store.all(collection)) {
      const record = parse(doc)
      if (record) into.set(record._id, record)
      else skipped++
    }
  }

  async function put<T extends TradeRecord | RefundRecord | NotificationRecord>(collection: string, record: T, into: Map<string, T>) {
    const doc = toDoc(record)
    try {
      await store.put(collection, doc)
    } catch (cause) {
      throw new PaySimError('STORE_ERROR', `could not write ${collection}/${record._id}`, { cause })
    }
    // Keep memory equal to what was written, not to the caller's (mutable) object.
    into.set(record._id, JSON.parse(JSON.stringify(doc)) as T)
  }

  return {
    load() {
      loading ??= (async () => {
        await loadInto(TRADES, parseTrade, trades)
        await loadInto(REFUNDS, parseRefund, refunds)
        await loadInto(NOTIFICATIONS, parseNotification, notifications)
      })().catch((cause: unknown) => {
        loading = undefined
        throw new PaySimError('STORE_ERROR', 'could not load the pay simulator state', { cause })
      })
      return loading
    },
    serial<T>(fn: () => Promise<T>): Promise<T> {
      const run = queue.then(fn, fn)
      queue = run.catch(() => undefined)
      return run
    },
    trade: (id) => clone(trades.get(id)),
    trades: () => [...trades.values()].map((t) => clone(t)),
    refund: (id) => clone(refunds.get(id)),
    refunds: () => [...refunds.values()].map((r) => clone(r)),
    notification: (id) => clone(notifications.get(id)),
    notifications: () => [...notifications.values()].map((n) => clone(n)),
    findTradeByTransactionId(mode, mchId, transactionId) {
      for (const t of trades.values()) {
        if (t.mode === mode && t.mchId === mchId && t.transactionId === transactionId) return clone(t)
      }
      return undefined
    },
    saveTrade: (record) => put(TRADES, record, trades),
    saveRefund: (record) => put(REFUNDS, record, refunds),
    saveNotification: (record) => put(NOTIFICATIONS, record, notifications),
    skippedDocuments: () => skipped,
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T)
}
