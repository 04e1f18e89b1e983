// Trades, refunds and notifications: durable in the store, mirrored in memory for reads.
// Every change runs inside `exclusive` for the keys it touches, is written to the store first,
// and only then becomes visible in memory, so an answer never reports a change the store did
// not take. Changes with no key in common run concurrently: their durable writes share the
// store's group commit instead of queueing behind one another.
//
// Reads are by key or through an index, never a scan of the history, so a request costs the
// same after a million trades as after one.
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
  /**
   * Runs `fn` once every earlier change holding one of `keys` has finished; changes with no key in
   * common run concurrently. Keys come from the lock functions below.
   */
  exclusive<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T>
  trade(id: string): TradeRecord | undefined
  /** Every trade (any mode or merchant) with this out_trade_no. */
  tradesByOutTradeNo(outTradeNo: string): TradeRecord[]
  trades(): TradeRecord[]
  refund(id: string): RefundRecord | undefined
  /** The refunds of one trade, oldest first. */
  refundsOfTrade(tradeId: string): RefundRecord[]
  findRefundByRefundId(mode: TradeMode, mchId: string, refundId: string): RefundRecord | undefined
  refunds(): RefundRecord[]
  notification(id: string): NotificationRecord | undefined
  /** Notifications about trades with this out_trade_no. */
  notificationsOf(outTradeNo: string): NotificationRecord[]
  notifications(): NotificationRecord[]
  findTradeByTransactionId(mode: TradeMode, mchId: string, transactionId: string): TradeRecord | undefined
  saveTrade(record: TradeRecord): Promise<void>
  saveRefund(record: RefundRecord): Promise<void>
  saveNotification(record: NotificationRecord): Promise<void>
  /** Documents in the store that could not be read back. */
  skippedDocuments(): number
}

/**
 * Every change to a trade holds the lock of its out_trade_no, not of its id: simPay finds a
 * trade by out_trade_no across merchants and modes (and refuses when several match), so placing
 * a second merchant's trade with the same number must not interleave with that search.
 */
export const tradeLock = (outTradeNo: string): string => `trade:${outTradeNo}`
/** A refund's key (mode, merchant, out_refund_no): two trades may race for the same number. */
export const refundLock = (key: string): string => `refund:${key}`
/** A notification's delivery record: attempts append to it one at a time. */
export const notificationLock = (id: string): string => `notification:${id}`

/** A multimap from an index key to record ids, kept beside a record map. */
class Index {
  private readonly ids = new Map<string, Set<string>>()
  add(key: string, id: string): void {
    let set = this.ids.get(key)
    if (!set) this.ids.set(key, (set = new Set()))
    set.add(id)
  }
  remove(key: string, id: string): void {
    const set = this.ids.get(key)
    if (!set) return
    set.delete(id)
    if (set.size === 0) this.ids.delete(key)
  }
  get(key: string): string[] {
    return [...(this.ids.get(key) ?? [])]
  }
}

/** Keyed mutual exclusion; only keys with a change running or waiting are kept. */
function keyedLocks() {
  const tails = new Map<string, Promise<void>>()
  return function exclusive<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)]
    const before = unique.flatMap((key) => {
      const tail = tails.get(key)
      return tail ? [tail] : []
    })
    let release = (): void => undefined
    const done = new Promise<void>((resolve) => (release = resolve))
    // Taking every key in one synchronous step orders changes by arrival: each waits only for
    // changes that arrived before it, so two changes can never wait for each other.
    for (const key of unique) tails.set(key, done)
    const run = Promise.all(before).then(fn)
    const finish = (): void => {
      for (const key of unique) if (tails.get(key) === done) tails.delete(key)
      release()
    }
    run.then(finish, finish)
    return run
  }
}

const merchantKey = (mode: TradeMode, mchId: string, id: string): string => `${mode}:${mchId}:${id}`

export function createLedger(store: SimStore): Ledger {
  const trades = new Map<string, TradeRecord>()
  const refunds = new Map<string, RefundRecord>()
  const notifications = new Map<string, NotificationRecord>()
  const tradesByNo = new Index()
  const tradeByTransaction = new Map<string, string>()
  const refundsByTrade = new Index()
  const refundByRefundId = new Map<string, string>()
  const notificationsByNo = new Index()
  let loading: Promise<void> | undefined
  let skipped = 0

  function setTrade(record: TradeRecord): void {
    const previous = trades.get(record._id)
    if (previous?.transactionId !== undefined) tradeByTransaction.delete(merchantKey(previous.mode, previous.mchId, previous.transactionId))
    trades.set(record._id, record)
    tradesByNo.add(record.outTradeNo, record._id)
    if (record.transactionId !== undefined) tradeByTransaction.set(merchantKey(record.mode, record.mchId, record.transactionId), record._id)
  }

  function setRefund(record: RefundRecord): void {
    const previous = refunds.get(record._id)
    if (previous) {
      refundsByTrade.remove(previous.tradeId, previous._id)
      refundByRefundId.delete(merchantKey(previous.mode, previous.mchId, previous.refundId))
    }
    refunds.set(record._id, record)
    refundsByTrade.add(record.tradeId, record._id)
    refundByRefundId.set(merchantKey(record.mode, record.mchId, record.refundId), record._id)
  }

  function setNotification(record: NotificationRecord): void {
    notifications.set(record._id, record)
    notificationsByNo.add(record.outTradeNo, record._id)
  }

  async function loadInto<T extends { _id: string }>(collection: string, parse: (d: unknown) => T | undefined, set: (record: T) => void) {
    for (const doc of await store.all(collection)) {
      const record = parse(doc)
      if (record) set(record)
      else skipped++
    }
  }

  async function put<T extends TradeRecord | RefundRecord | NotificationRecord>(collection: string, record: T, set: (record: T) => void) {
    const doc = toDoc(record)
    try {
      await store.put(collection, doc)
    } catch (cause) {
      throw new PaySimError('STORE_ERROR', `could not write ${collection}/${record._id}`, { cause })
    }
    // Keep memory equal to what was written, not to the caller's (mutable) object.
    set(JSON.parse(JSON.stringify(doc)) as T)
  }

  const pick = <T>(from: Map<string, T>, ids: string[]): T[] => ids.flatMap((id) => (from.has(id) ? [clone(from.get(id) as T)] : []))

  return {
    load() {
      loading ??= (async () => {
        await loadInto(TRADES, parseTrade, setTrade)
        await loadInto(REFUNDS, parseRefund, setRefund)
        await loadInto(NOTIFICATIONS, parseNotification, setNotification)
      })().catch((cause: unknown) => {
        loading = undefined
        throw new PaySimError('STORE_ERROR', 'could not load the pay simulator state', { cause })
      })
      return loading
    },
    exclusive: keyedLocks(),
    trade: (id) => clone(trades.get(id)),
    tradesByOutTradeNo: (outTradeNo) => pick(trades, tradesByNo.get(outTradeNo)),
    trades: () => [...trades.values()].map((t) => clone(t)),
    refund: (id) => clone(refunds.get(id)),
    refundsOfTrade: (tradeId) => pick(refunds, refundsByTrade.get(tradeId)).sort((a, b) => a.createdAt - b.createdAt || a._id.localeCompare(b._id)),
    findRefundByRefundId(mode, mchId, refundId) {
      const id = refundByRefundId.get(merchantKey(mode, mchId, refundId))
      return id === undefined ? undefined : clone(refunds.get(id))
    },
    refunds: () => [...refunds.values()].map((r) => clone(r)),
    notification: (id) => clone(notifications.get(id)),
    notificationsOf: (outTradeNo) => pick(notifications, notificationsByNo.get(outTradeNo)),
    notifications: () => [...notifications.values()].map((n) => clone(n)),
    findTradeByTransactionId(mode, mchId, transactionId) {
      const id = tradeByTransaction.get(merchantKey(mode, mchId, transactionId))
      return id === undefined ? undefined : clone(trades.get(id))
    },
    saveTrade: (record) => put(TRADES, record, setTrade),
    saveRefund: (record) => put(REFUNDS, record, setRefund),
    saveNotification: (record) => put(NOTIFICATIONS, record, setNotification),
    skippedDocuments: () => skipped,
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T)
}
