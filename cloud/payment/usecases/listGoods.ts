import type { ListGoodsData } from '../contracts'
import { optionalInt, optionalString, parseObject } from '../parse'
import type { GoodsRepository } from '../ports'

const DEFAULT_LIMIT = 20
const CURSOR = /^[A-Za-z0-9_-]{1,64}$/

/** Goods on sale, by id, with keyset paging (`nextCursor` is the last id read). */
export async function listGoods(goods: GoodsRepository, event: unknown): Promise<ListGoodsData> {
  const input = parseObject(event)
  const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_LIMIT
  const cursor = optionalString(input, 'cursor', CURSOR)
  // One more than a page tells whether another page follows.
  const page = await goods.listOnSale(cursor, limit + 1)
  const more = page.scanned > limit
  const items = page.goods.slice(0, limit).map(({ _id, name, description, priceFen, pic }) => ({ _id, name, description, priceFen, pic }))
  const nextCursor = more ? (items[items.length - 1]?._id ?? page.lastId ?? null) : null
  return { items, nextCursor }
}
