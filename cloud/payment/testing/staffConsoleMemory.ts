// In-memory stand-ins for the staff console's catalogue, console audit, picture URLs and
// reconcile runs, for unit tests; they keep the promises of adapters/staffGoods.ts,
// staffAudit.ts `consoleAudit`, pictureUrls.ts and reconcileRuns.ts.
import type { ReconcileData } from '../contracts'
import type { OrderRecord, StaffAuditRecord } from '../ports'
import type { StaffConsoleDeps } from '../usecases/staff'
import type { ReconcileRunRecord, ReconcileRuns } from '../usecases/reconcile'
import type { ConsoleAudit, ConsoleAuditRecord, GoodsFields, PictureUrls, StaffGoodsRecord, StaffGoodsStore } from '../usecases/staffGoods'
import { MemoryAudit, MemoryHistory, memoryWorld, storedOrder, type MemoryGoods, type MemoryWorld } from './memory'

/** The catalogue over MemoryGoods' own array, so what staff save is what createOrder prices. */
export class MemoryCatalogue implements StaffGoodsStore {
  readonly dates = new Map<string, { createdAt?: Date; updatedAt?: Date }>()
  constructor(readonly goods: MemoryGoods) {}
  private record(id: string): StaffGoodsRecord | null {
    const found = this.goods.goods.find((g) => g._id === id)
    return found ? structuredClone({ ...found, ...this.dates.get(id) }) : null
  }
  async list(offset: number, limit: number): Promise<StaffGoodsRecord[]> {
    const created = (id: string): number => this.dates.get(id)?.createdAt?.getTime() ?? -1
    return [...this.goods.goods]
      .sort((a, b) => created(b._id) - created(a._id) || (a._id < b._id ? -1 : 1))
      .slice(offset, offset + limit)
      .map((g) => this.record(g._id)!)
  }
  async get(id: string): Promise<StaffGoodsRecord | null> {
    return this.record(id)
  }
  async insert(item: StaffGoodsRecord & { createdAt: Date; updatedAt: Date }): Promise<'inserted' | 'exists'> {
    if (this.goods.goods.some((g) => g._id === item._id)) return 'exists'
    const { createdAt, updatedAt, ...goods } = structuredClone(item)
    this.goods.goods.push(goods)
    this.dates.set(item._id, { createdAt, updatedAt })
    return 'inserted'
  }
  async update(id: string, fields: Partial<GoodsFields>, at: Date): Promise<boolean> {
    const found = this.goods.goods.find((g) => g._id === id)
    if (!found) return false
    Object.assign(found, structuredClone(fields), fields.pics ? { pic: fields.pics[0] ?? '' } : {})
    this.dates.set(id, { ...this.dates.get(id), updatedAt: at })
    return true
  }
}

/** The console's audit over MemoryAudit's own map: one log, so a requestId is used once across every action. */
export class MemoryConsoleAudit implements ConsoleAudit {
  constructor(readonly audit: MemoryAudit) {}
  async record(entry: ConsoleAuditRecord): Promise<'inserted' | 'exists'> {
    if (this.audit.records.has(entry.requestId)) return 'exists'
    this.audit.records.set(entry.requestId, structuredClone(entry) as unknown as StaffAuditRecord)
    return 'inserted'
  }
  async get(requestId: string): Promise<ConsoleAuditRecord | null> {
    const found = this.audit.records.get(requestId)
    return found ? (structuredClone(found) as ConsoleAuditRecord) : null
  }
}

/** `cloud://x/y` → `https://tmp.example/y`; a file id listed in `gone` → ''. */
export class MemoryPictures implements PictureUrls {
  readonly gone = new Set<string>()
  calls = 0
  async urls(pics: readonly string[]): Promise<string[]> {
    if (pics.some((p) => p.startsWith('cloud://'))) this.calls++
    return pics.map((p) => (!p.startsWith('cloud://') ? p : this.gone.has(p) ? '' : `https://tmp.example/${p.slice(p.lastIndexOf('/') + 1)}`))
  }
}

export class MemoryRuns implements ReconcileRuns {
  lease: { holder: string; until: number } | null = null
  readonly runs = new Map<string, ReconcileRunRecord>()
  async acquire(holder: string, now: number, until: number): Promise<boolean> {
    if (this.lease && this.lease.until > now) return false
    this.lease = { holder, until }
    return true
  }
  async release(holder: string): Promise<void> {
    if (this.lease?.holder === holder) this.lease = { holder, until: 0 }
  }
  async held(now: number): Promise<boolean> {
    return !!this.lease && this.lease.until > now
  }
  async start(run: ReconcileRunRecord): Promise<'inserted' | 'exists'> {
    if (this.runs.has(run.id)) return 'exists'
    this.runs.set(run.id, structuredClone(run))
    return 'inserted'
  }
  async finish(id: string, finishedAt: Date, result: ReconcileData): Promise<void> {
    const run = this.runs.get(id)
    if (run) this.runs.set(id, { ...run, finishedAt, result: structuredClone(result) })
  }
  async get(id: string): Promise<ReconcileRunRecord | null> {
    const run = this.runs.get(id)
    return run ? structuredClone(run) : null
  }
  async last(): Promise<ReconcileRunRecord | null> {
    const done = [...this.runs.values()].filter((r) => r.finishedAt).sort((a, b) => b.finishedAt!.getTime() - a.finishedAt!.getTime())
    return done[0] ? structuredClone(done[0]) : null
  }
}

/** What the staff console needs beyond a memory world and its audit: over that world's goods and audit. */
export function consoleExtras(goods: MemoryGoods, audit: MemoryAudit) {
  return {
    consoleAudit: new MemoryConsoleAudit(audit),
    catalogue: new MemoryCatalogue(goods),
    pictures: new MemoryPictures(),
    runs: new MemoryRuns(),
    reconcileOptions: { unpaidAfterMs: 600_000, refundsAfterMs: 300_000 },
  }
}

/** The paid order the staff console's unit tests act on, and its delivery address. */
export const STAFF_TEST_ORDER = '2026112810000012345678901234'
export const STAFF_TEST_ADDRESS = { recipient: '李四', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 2 号' }
export type StaffWorld = MemoryWorld & StaffConsoleDeps & { audit: MemoryAudit; history: MemoryHistory }

/** Every port of the staff console in memory, holding STAFF_TEST_ORDER: paid, with its address (and `overrides`). */
export function staffWorld(overrides: Partial<OrderRecord> = {}): StaffWorld {
  const w = memoryWorld()
  const history = new MemoryHistory(w.clock)
  w.orders.put(storedOrder({ outTradeNo: STAFF_TEST_ORDER, status: 'SUCCESS', transactionId: 'wx-t1', address: STAFF_TEST_ADDRESS, ...overrides }, w.clock))
  const audit = new MemoryAudit()
  return Object.assign(w, { audit, history, events: history }, consoleExtras(w.goods, audit))
}
