import type { ReconcileData } from '../contracts'
import type { ReconcileRunRecord, ReconcileRuns } from '../usecases/reconcile'
import { insertOnce } from './insertOnce'
import type { SdkDatabase } from './sdkTypes'

/** The lease document's `_id`; every other document is a run (`kind: 'run'`). */
const LEASE = 'lease'
const COLLECTION = 'reconcile_runs'

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])
const dateOf = (value: unknown): Date | undefined =>
  value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined

function parseResult(raw: unknown): ReconcileData | undefined {
  const r = record(raw)
  if (typeof r['checked'] !== 'number') return undefined
  return {
    checked: r['checked'],
    paid: list(r['paid']),
    closed: list(r['closed']),
    refundsSettled: list(r['refundsSettled']),
    latePayments: list(r['latePayments']),
    received: list(r['received']),
    shippingUploads: list(r['shippingUploads']),
    errors: (Array.isArray(r['errors']) ? r['errors'] : []).map((e) => ({
      outTradeNo: String(record(e)['outTradeNo'] ?? ''),
      message: String(record(e)['message'] ?? ''),
    })),
  }
}

function parseRun(raw: unknown): ReconcileRunRecord {
  const doc = record(raw)
  const finishedAt = dateOf(doc['finishedAt'])
  const result = parseResult(doc['result'])
  return {
    id: String(doc['_id']),
    trigger: doc['trigger'] === 'staff' ? 'staff' : 'timer',
    by: typeof doc['by'] === 'string' ? doc['by'] : null,
    startedAt: dateOf(doc['startedAt']) ?? new Date(0),
    ...(finishedAt ? { finishedAt } : {}),
    ...(result ? { result } : {}),
  }
}

/**
 * `reconcile_runs`: one document per run (`_id` = the run's id, so a staff request's run is
 * recorded once) and the lease document, taken by one conditional update on its expiry — of two
 * runs starting together, one gets it (a missing lease is created insert-once, with the same
 * effect).
 */
export function reconcileRuns(db: SdkDatabase): ReconcileRuns {
  const runs = () => db.collection(COLLECTION)
  const _ = db.command
  return {
    async acquire(holder, now, until) {
      const { stats } = await runs()
        .where({ _id: LEASE, until: _.lte(now) })
        .update({ data: { holder, until } })
      if (stats.updated > 0) return true
      return (await insertOnce(db, COLLECTION, { _id: LEASE, kind: 'lease', holder, until })) === 'inserted'
    },
    async release(holder) {
      await runs()
        .where({ _id: LEASE, holder })
        .update({ data: { until: 0 } })
    },
    async held(now) {
      const { data } = await runs().where({ _id: LEASE }).limit(1).get()
      const until = record(data[0])['until']
      return typeof until === 'number' && until > now
    },
    async start(run) {
      return insertOnce(db, COLLECTION, { _id: run.id, kind: 'run', trigger: run.trigger, by: run.by, startedAt: run.startedAt, finished: false })
    },
    async finish(id, finishedAt, result) {
      await runs()
        .where({ _id: id })
        .update({ data: { finished: true, finishedAt, result: JSON.parse(JSON.stringify(result)) as Record<string, unknown> } })
    },
    async get(id) {
      if (id === LEASE) return null
      const { data } = await runs().where({ _id: id }).limit(1).get()
      return data[0] === undefined ? null : parseRun(data[0])
    },
    async last() {
      const { data } = await runs().where({ kind: 'run', finished: true }).orderBy('finishedAt', 'desc').limit(1).get()
      return data[0] === undefined ? null : parseRun(data[0])
    },
  }
}
