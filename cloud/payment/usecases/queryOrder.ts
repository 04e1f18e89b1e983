import { isOutTradeNo } from '../core/outTradeNo'
import { parseOrderTab, tabFilter } from '../core/orderTabs'
import { toOrderView } from '../core/orderView'
import type { OrderListData, OrderView } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST, optionalInt, parseObject } from '../parse'
import type { OrderRecord } from '../ports'
import type { OrderDeps } from './deps'

const DEFAULT_PAGE = 10

/** The caller's own order; anyone else's is indistinguishable from one that does not exist. */
export async function loadOwnOrder(deps: OrderDeps, openid: string, outTradeNo: unknown): Promise<OrderRecord> {
  if (!isOutTradeNo(outTradeNo)) throw new AppError('INVALID_ARGUMENT', '订单号有误', { detail: 'outTradeNo is not valid' })
  const order = await deps.orders.get(outTradeNo)
  if (!order || order._openid !== openid) throw new AppError('ORDER_NOT_FOUND', '订单不存在', { detail: `order ${outTradeNo} not found for this caller` })
  return order
}

/**
 * One of the caller's orders, or a page of them newest first: all of them, or one tab of My
 * orders (`tab`, core/orderTabs), filtered by the database with the same keyset paging.
 */
export async function queryOrder(deps: OrderDeps, openid: string, event: unknown): Promise<OrderView | OrderListData> {
  const input = parseObject(event)
  if (input['outTradeNo'] !== undefined) return toOrderView(await loadOwnOrder(deps, openid, input['outTradeNo']), deps.clock.now())
  const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_PAGE
  const cursor = input['cursor']
  if (cursor !== undefined && cursor !== null && !isOutTradeNo(cursor)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: 'cursor is not valid' })
  const now = deps.clock.now()
  const filter = tabFilter(parseOrderTab(input['tab']), now)
  const orders = await deps.orders.listByOpenid(openid, typeof cursor === 'string' ? cursor : undefined, limit + 1, filter)
  const page = orders.slice(0, limit)
  // Stryker disable next-line OptionalChaining: with more orders than the limit the page is never empty; `?.` is for the type checker
  return { items: page.map((order) => toOrderView(order, now)), nextCursor: orders.length > limit ? (page[page.length - 1]?.outTradeNo ?? null) : null }
}
