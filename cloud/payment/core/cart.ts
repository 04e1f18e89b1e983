import { AppError } from '../errors'
import { CART_LIMITS } from '../contracts'
import { BAD_REQUEST, parseObject } from '../parse'
import { addFen, fen, MAX_TOTAL_FEN, timesQuantity, type Fen } from './money'

export const MAX_LINES = CART_LIMITS.maxLines
export const MAX_QUANTITY = CART_LIMITS.maxQuantity
export const GOODS_ID = /^[A-Za-z0-9_-]{1,64}$/

export type CartLine = { goodsId: string; quantity: number }
/** `pic` is the cover, the first of `pics` ('' and [] when the goods have no picture). */
export type Goods = { _id: string; name: string; description: string; priceFen: Fen; pic: string; pics: string[]; onSale: boolean }
export type PricedLine = { goodsId: string; name: string; priceFen: Fen; quantity: number; pic: string }

/**
 * `items: [{ goodsId, quantity }]`, 1–20 distinct goods, each an integer quantity 1–99.
 * Anything else on a line (a price, a name) is ignored: prices come from the database.
 */
export function parseCart(raw: unknown): CartLine[] {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_LINES) {
    throw new AppError('INVALID_ARGUMENT', `一次最多购买 ${MAX_LINES} 种商品，且不能为空`, { detail: `items must be a list of 1 to ${MAX_LINES} lines` })
  }
  const seen = new Set<string>()
  return raw.map((item: unknown, index) => {
    const line = parseObject(item, `items[${index}]`)
    const { goodsId, quantity } = line
    if (typeof goodsId !== 'string' || !GOODS_ID.test(goodsId))
      throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `items[${index}].goodsId is not valid` })
    if (!Number.isInteger(quantity) || Number(quantity) < 1 || Number(quantity) > MAX_QUANTITY) {
      throw new AppError('INVALID_ARGUMENT', `每种商品的数量应为 1–${MAX_QUANTITY} 件`, {
        detail: `items[${index}].quantity must be an integer from 1 to ${MAX_QUANTITY}`,
      })
    }
    if (seen.has(goodsId)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `items lists ${goodsId} twice` })
    seen.add(goodsId)
    return { goodsId, quantity: Number(quantity) }
  })
}

/** Prices every line from the database's goods; the client's idea of a price never counts. */
export function priceCart(cart: CartLine[], goods: Goods[]): { lines: PricedLine[]; totalFee: Fen } {
  const byId = new Map(goods.map((g) => [g._id, g]))
  let totalFee = fen(0)
  const lines = cart.map(({ goodsId, quantity }) => {
    const item = byId.get(goodsId)
    if (!item || !item.onSale)
      throw new AppError('GOODS_NOT_FOUND', item ? `「${item.name}」已下架，请调整后再下单` : '有商品已下架，请调整后再下单', {
        detail: `goods ${goodsId} is missing or off sale`,
      })
    totalFee = addFen(totalFee, timesQuantity(item.priceFen, quantity))
    return { goodsId, name: item.name, priceFen: item.priceFen, quantity, pic: item.pic }
  })
  if (totalFee <= 0 || totalFee > MAX_TOTAL_FEN) throw new AppError('INVALID_ARGUMENT', '订单金额超出微信支付允许的范围', { detail: `total ${totalFee} fen` })
  return { lines, totalFee }
}
