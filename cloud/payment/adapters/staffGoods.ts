import type { StaffGoodsRecord, StaffGoodsStore } from '../usecases/staffGoods'
import { parseGoods } from './goodsRepository'
import { insertOnce } from './insertOnce'
import type { SdkDatabase } from './sdkTypes'

/** `skip`, which the SDK's query has and the shared slice of its types (sdkTypes.ts) leaves out. */
type Skippable = { skip(n: number): { limit(n: number): { get(): Promise<{ data: unknown[] }> } } }

const dateOf = (value: unknown): Date | undefined =>
  value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined

function parseStaffGoods(raw: unknown): StaffGoodsRecord | undefined {
  const goods = parseGoods(raw)
  if (!goods) return undefined
  const doc = raw as Record<string, unknown>
  const createdAt = dateOf(doc['createdAt'])
  const updatedAt = dateOf(doc['updatedAt'])
  return { ...goods, ...(createdAt ? { createdAt } : {}), ...(updatedAt ? { updatedAt } : {}) }
}

/**
 * The `goods` collection as the staff console keeps it. A document that does not parse is left
 * out of the list (and logged by goodsRepository's parser rules); staff fix it in the database.
 */
export function staffGoodsStore(db: SdkDatabase): StaffGoodsStore {
  const goods = () => db.collection('goods')
  const get = async (id: string): Promise<StaffGoodsRecord | null> => {
    const { data } = await goods().where({ _id: id }).limit(1).get()
    return data[0] === undefined ? null : (parseStaffGoods(data[0]) ?? null)
  }
  return {
    async list(offset, limit) {
      // Offset paging: the catalogue is small and only staff page it; newest first, then by id.
      const sorted = goods().orderBy('createdAt', 'desc').orderBy('_id', 'asc') as unknown as Skippable
      const { data } = await sorted.skip(offset).limit(limit).get()
      const out: StaffGoodsRecord[] = []
      for (const raw of data) {
        const parsed = parseStaffGoods(raw)
        if (parsed) out.push(parsed)
        else console.error(`goods ${String((raw as Record<string, unknown>)['_id'])} left out of the staff list: malformed document`)
      }
      return out
    },
    get,
    async insert(item) {
      const { createdAt, updatedAt, ...fields } = item
      return insertOnce(db, 'goods', { ...fields, pics: [...fields.pics], createdAt, updatedAt })
    },
    async update(id, fields, at) {
      const data: Record<string, unknown> = { ...fields, updatedAt: at }
      // `pic` is the cover for what reads one picture (order snapshots, older pages).
      if (fields.pics) data['pic'] = fields.pics[0] ?? ''
      const { stats } = await goods().where({ _id: id }).update({ data })
      // Nothing updated is also what an identical repeat in the same millisecond sees: ask whether it exists.
      return stats.updated > 0 || (await get(id)) !== null
    },
  }
}
