import { GOODS_ID, type Goods } from '../core/cart'
import type { GoodsView, ListGoodsData } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST, optionalInt, optionalString, parseObject } from '../parse'
import type { GoodsRepository } from '../ports'

const DEFAULT_LIMIT = 20
const CURSOR = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Goods on sale, by id, with keyset paging (`nextCursor` is the last id read); or, with `id`, that
 * one goods, on sale or not (the detail page shows an off-sale one, not orderable).
 */
export async function listGoods(goods: GoodsRepository, event: unknown): Promise<ListGoodsData | GoodsView> {
  const input = parseObject(event)
  if (input['id'] !== undefined) return goodsById(goods, input['id'])
  const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_LIMIT
  const cursor = optionalString(input, 'cursor', CURSOR)
  // One more than a page tells whether another page follows.
  const page = await goods.listOnSale(cursor, limit + 1)
  const more = page.scanned > limit
  const items = page.goods.slice(0, limit).map(toGoodsView)
  const nextCursor = more ? (items[items.length - 1]?._id ?? page.lastId ?? null) : null
  return { items, nextCursor }
}

async function goodsById(goods: GoodsRepository, id: unknown): Promise<GoodsView> {
  if (typeof id !== 'string' || !GOODS_ID.test(id)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: 'id is not a valid goods id' })
  const [found] = await goods.findByIds([id])
  // A document that does not parse (a malformed price) is as good as missing; the repository logs it.
  if (!found) throw new AppError('GOODS_NOT_FOUND', '商品不存在或已下架', { detail: `goods ${id} not found` })
  return toGoodsView(found)
}

function toGoodsView({ _id, name, description, priceFen, pic, pics, onSale }: Goods): GoodsView {
  return { _id, name, description, priceFen, pic, pics: [...pics], onSale }
}
