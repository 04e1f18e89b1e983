import * as cloud from 'wx-server-sdk'
import type { FunctionResult, GoodsView, ListGoodsData } from '../../payment/contracts'
import { toFailure } from '../../payment/errors'
import { optionalInt, optionalString, parseObject } from '../../payment/parse'

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
const db = cloud.database()
const _ = db.command

const DEFAULT_LIMIT = 20

/** Goods on sale, by id, with keyset paging (`nextCursor` is the last id of the page). */
export async function main(event: unknown): Promise<FunctionResult<ListGoodsData>> {
  try {
    const input = parseObject(event)
    const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_LIMIT
    const cursor = optionalString(input, 'cursor', /^[A-Za-z0-9_-]{1,64}$/)
    const where: Record<string, unknown> = { onSale: true }
    if (cursor) where['_id'] = _.gt(cursor)
    const { data } = (await db
      .collection('goods')
      .where(where)
      .orderBy('_id', 'asc')
      .limit(limit + 1)
      .get()) as { data: Array<Record<string, unknown>> }
    const items = data.slice(0, limit).map(toView)
    const nextCursor = data.length > limit ? (items[items.length - 1]?._id ?? null) : null
    return { ok: true, data: { items, nextCursor } }
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AppError')) console.error('listGoods failed', error)
    return toFailure(error)
  }
}

function toView(doc: Record<string, unknown>): GoodsView {
  return {
    _id: String(doc['_id']),
    name: String(doc['name']),
    description: String(doc['description'] ?? ''),
    priceFen: Number(doc['priceFen']),
    pic: String(doc['pic'] ?? ''),
  }
}
