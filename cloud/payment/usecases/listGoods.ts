import { GOODS_ID, type Goods } from '../core/cart'
import type { GoodsView, ListGoodsData } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST, optionalInt, optionalString, parseObject } from '../parse'
import type { GoodsRepository } from '../ports'
import type { PictureUrls } from './staffGoods'

const DEFAULT_LIMIT = 20
const CURSOR = /^[A-Za-z0-9_-]{1,64}$/

/** Without a picture port every stored value is shown as it is (tests of paging and parsing). */
const AS_STORED: PictureUrls = { urls: async (pics) => [...pics] }

/**
 * Goods on sale, by id, with keyset paging (`nextCursor` is the last id read); or, with `id`, that
 * one goods, on sale or not (the detail page shows an off-sale one, not orderable). Pictures
 * uploaded by staff are stored as cloud file ids; `pictures` turns them into URLs a page loads.
 */
export async function listGoods(goods: GoodsRepository, event: unknown, pictures: PictureUrls = AS_STORED): Promise<ListGoodsData | GoodsView> {
  const input = parseObject(event)
  if (input['id'] !== undefined) return withUrls(pictures, [await goodsById(goods, input['id'])]).then(([one]) => one!)
  const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_LIMIT
  const cursor = optionalString(input, 'cursor', CURSOR)
  // One more than a page tells whether another page follows.
  const page = await goods.listOnSale(cursor, limit + 1)
  const more = page.scanned > limit
  const items = await withUrls(pictures, page.goods.slice(0, limit).map(toGoodsView))
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

/** The views with every picture as a URL; one lookup for the whole page. */
async function withUrls(pictures: PictureUrls, views: GoodsView[]): Promise<GoodsView[]> {
  const all = views.flatMap((v) => v.pics)
  if (!all.some((p) => p.startsWith('cloud://'))) return views
  const urls = await pictures.urls(all)
  let i = 0
  return views.map((v) => {
    const pics = v.pics.map(() => urls[i++] ?? '')
    // The cover: an item whose stored pics were empty keeps its `pic` as it was.
    return { ...v, pics, pic: v.pics.length > 0 ? (pics[0] ?? '') : v.pic }
  })
}
