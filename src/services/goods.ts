import { isRecord } from '../utils/guards'
import type { Fen } from '../utils/money'
import { callFunction, CloudError } from './cloud'

export interface Goods {
  _id: string
  name: string
  description: string
  priceFen: Fen
  pic: string
}

export interface GoodsPage {
  items: Goods[]
  nextCursor: string | null
}

export interface ListGoodsParams {
  cursor?: string
  limit?: number
}

function parseGoods(value: unknown): Goods | null {
  if (!isRecord(value)) return null
  const { _id, name, description, priceFen, pic } = value
  if (typeof _id !== 'string' || typeof name !== 'string' || typeof pic !== 'string') return null
  if (typeof priceFen !== 'number' || !Number.isSafeInteger(priceFen)) return null
  return { _id, name, description: typeof description === 'string' ? description : '', priceFen, pic }
}

export function parseGoodsPage(value: unknown): GoodsPage {
  const bad = () => new CloudError('BAD_RESPONSE', 'listGoods: unexpected data', value)
  if (!isRecord(value) || !Array.isArray(value.items)) throw bad()
  const items: Goods[] = []
  for (const raw of value.items) {
    const goods = parseGoods(raw)
    if (!goods) throw bad()
    items.push(goods)
  }
  const { nextCursor } = value
  if (nextCursor != null && typeof nextCursor !== 'string') throw bad()
  return { items, nextCursor: nextCursor ?? null }
}

export async function listGoods({ cursor, limit }: ListGoodsParams = {}): Promise<GoodsPage> {
  const event: ListGoodsParams = {}
  if (cursor !== undefined) event.cursor = cursor
  if (limit !== undefined) event.limit = limit
  return parseGoodsPage(await callFunction('listGoods', event))
}
