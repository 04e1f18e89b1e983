import type { Goods } from '../core/cart'
import { fen } from '../core/money'
import type { GoodsRepository } from '../ports'
import type { SdkDatabase } from './sdkTypes'

/** The `goods` collection. A document that does not parse (a malformed price) is skipped and logged. */
export function goodsRepository(db: SdkDatabase): GoodsRepository {
  const goods = () => db.collection('goods')
  const _ = db.command
  return {
    async findByIds(ids) {
      const { data } = await goods()
        .where({ _id: _.in(ids) })
        .limit(ids.length)
        .get()
      return parseAll(data)
    },
    async listOnSale(cursor, limit) {
      const where: Record<string, unknown> = { onSale: true }
      if (cursor) where['_id'] = _.gt(cursor)
      const { data } = await goods().where(where).orderBy('_id', 'asc').limit(limit).get()
      const lastId = data.length > 0 ? idOf(data[data.length - 1]) : undefined
      return { goods: parseAll(data), scanned: data.length, ...(lastId ? { lastId } : {}) }
    },
  }
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as Record<string, unknown> | null)?.['_id']
  return typeof id === 'string' ? id : undefined
}

function parseAll(data: unknown[]): Goods[] {
  const out: Goods[] = []
  for (const raw of data) {
    const parsed = parseGoods(raw)
    if (parsed) out.push(parsed)
    else console.error(`goods ${String(idOf(raw))} skipped: malformed document (priceFen must be a non-negative integer of fen, name a text)`)
  }
  return out
}

export function parseGoods(raw: unknown): Goods | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const doc = raw as Record<string, unknown>
  const price = doc['priceFen']
  if (typeof doc['_id'] !== 'string' || typeof doc['name'] !== 'string' || typeof price !== 'number' || !Number.isSafeInteger(price) || price < 0)
    return undefined
  return {
    _id: doc['_id'],
    name: doc['name'],
    description: typeof doc['description'] === 'string' ? doc['description'] : '',
    priceFen: fen(price),
    ...pictures(doc),
    onSale: doc['onSale'] === true,
  }
}

/**
 * Every picture, cover first: the `pics` array (non-strings and empty entries dropped), or else
 * the single `pic` of goods stored before there were several.
 */
function pictures(doc: Record<string, unknown>): { pic: string; pics: string[] } {
  const listed = Array.isArray(doc['pics']) ? doc['pics'].filter((p): p is string => typeof p === 'string' && p !== '') : []
  const single = typeof doc['pic'] === 'string' && doc['pic'] !== '' ? [doc['pic']] : []
  const pics = listed.length > 0 ? listed : single
  return { pic: pics[0] ?? '', pics }
}
