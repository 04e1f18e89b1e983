import * as cloud from 'wx-server-sdk'
import type { EventDecision, PaymentEvent, PaymentHistory, StaffAudit, StaffAuditRecord, StaffOrders, OrderRepository } from '../ports'
import { insertOnce } from './insertOnce'
import { orderRepository } from './orderRepository'
import type { SdkDatabase } from './sdkTypes'
import type { ReconcileRuns } from '../usecases/reconcile'
import type { ConsoleAction, ConsoleAudit, ConsoleAuditRecord, StaffGoodsStore } from '../usecases/staffGoods'
import { reconcileRuns } from './reconcileRuns'
import { staffGoodsStore } from './staffGoods'

const date = (value: unknown): Date => (value instanceof Date ? value : new Date(typeof value === 'number' || typeof value === 'string' ? value : 0))
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
const ACTIONS: ReadonlyArray<StaffAuditRecord['action']> = ['ship', 'refund', 'afterSale']

/**
 * `staff_audit`: one document per staff action, `_id` = the action's requestId, inserted once
 * (adapters/insertOnce.ts), so however often an action is retried it is recorded once.
 */
export function staffAudit(db: SdkDatabase): StaffAudit {
  const audit = () => db.collection('staff_audit')
  return {
    async record(entry) {
      return insertOnce(db, 'staff_audit', { _id: entry.requestId, ...entry })
    },
    async get(requestId) {
      const { data } = await audit().where({ _id: requestId }).limit(1).get()
      return data[0] === undefined ? null : parseAudit(data[0])
    },
    async listFor(outTradeNo, limit) {
      const { data } = await audit().where({ outTradeNo }).orderBy('at', 'asc').limit(limit).get()
      return data.map(parseAudit)
    },
  }
}

function parseAudit(raw: unknown): StaffAuditRecord {
  const doc = record(raw)
  const action = ACTIONS.find((a) => a === doc['action']) ?? 'ship'
  return {
    requestId: String(doc['requestId'] ?? doc['_id']),
    staff: String(doc['staff'] ?? ''),
    action,
    outTradeNo: String(doc['outTradeNo'] ?? ''),
    input: record(doc['input']),
    outcome: String(doc['outcome'] ?? ''),
    at: date(doc['at']),
  }
}

const CONSOLE_ACTIONS: readonly ConsoleAction[] = [...ACTIONS, 'saveGoods', 'setOnSale', 'runReconcile']

/** `staff_audit` for every console action (the catalogue's and reconcile's too): the same documents, insert-once. */
export function consoleAudit(db: SdkDatabase): ConsoleAudit {
  return {
    async record(entry) {
      return insertOnce(db, 'staff_audit', { _id: entry.requestId, ...entry })
    },
    async get(requestId) {
      const { data } = await db.collection('staff_audit').where({ _id: requestId }).limit(1).get()
      if (data[0] === undefined) return null
      const doc = record(data[0])
      const action = CONSOLE_ACTIONS.find((a) => a === doc['action'])
      // An action this code does not know is still "used": never the same as anything asked now.
      const parsed: ConsoleAuditRecord = {
        ...parseAudit(doc),
        action: action ?? 'runReconcile',
        ...(typeof doc['goodsId'] === 'string' ? { goodsId: doc['goodsId'] } : {}),
      }
      return action ? parsed : { ...parsed, input: { unknownAction: String(doc['action']) } }
    },
  }
}

const KINDS: ReadonlyArray<PaymentEvent['kind']> = ['payment_notify', 'payment_query', 'refund_request', 'refund_notify', 'refund_query', 'close']
const DECISIONS: readonly EventDecision[] = ['applied', 'duplicate', 'rejected', 'no_change', 'needs_refund', 'failed']

/** `payment_events` of one order (adapters/eventLog.ts writes them with `receivedAt`), oldest first. */
export function paymentHistory(db: SdkDatabase): PaymentHistory {
  return {
    async listFor(outTradeNo, limit) {
      const { data } = await db.collection('payment_events').where({ outTradeNo }).orderBy('receivedAt', 'asc').limit(limit).get()
      return data.map((raw) => {
        const doc = record(raw)
        const transition = record(doc['transition'])
        return {
          kind: KINDS.find((k) => k === doc['kind']) ?? 'payment_query',
          mode: doc['mode'] === 'merchant' ? 'merchant' : 'cloudpay',
          source: String(doc['source'] ?? ''),
          outTradeNo,
          decision: DECISIONS.find((d) => d === doc['decision']) ?? 'no_change',
          reason: String(doc['reason'] ?? ''),
          raw: record(doc['raw']),
          ...(typeof transition['from'] === 'string' && typeof transition['to'] === 'string'
            ? { transition: transition as NonNullable<PaymentEvent['transition']> }
            : {}),
          receivedAt: date(doc['receivedAt']),
        }
      })
    },
  }
}

/** The staff console's stores, on the database of the function's SDK (initialised by cloudRuntime first). */
export function staffStores(): {
  orders: OrderRepository & StaffOrders
  audit: StaffAudit
  history: PaymentHistory
  consoleAudit: ConsoleAudit
  catalogue: StaffGoodsStore
  runs: ReconcileRuns
} {
  const db = cloud.database() as unknown as SdkDatabase
  return {
    orders: orderRepository(db),
    audit: staffAudit(db),
    history: paymentHistory(db),
    consoleAudit: consoleAudit(db),
    catalogue: staffGoodsStore(db),
    runs: reconcileRuns(db),
  }
}
