// listGoods through the local cloud: a goods document with a malformed price is skipped (and
// logged), never breaking the list; paging walks past it.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { GoodsView, ListGoodsData } from '../payment/contracts'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { call, data } from '../local/testing/shop'

let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud()
  await cloud.engine.insert('goods', [
    { _id: 'goods-zz-float', name: '坏价格', description: '', priceFen: 19.9, pic: '', onSale: true },
    { _id: 'goods-zz-text', name: '文字价格', description: '', priceFen: '1990', pic: '', onSale: true },
    { _id: 'goods-zz-fine', name: '好商品', description: '', priceFen: 500, pic: '', onSale: true },
  ]).written
})
after(() => cloud.stop())

test('a malformed price skips that goods, not the list', async () => {
  const all: GoodsView[] = []
  let cursor: string | null = null
  do {
    const page: ListGoodsData = data(await call<ListGoodsData>(cloud, 'listGoods', cursor ? { cursor, limit: 2 } : { limit: 2 }, 'browser-1'))
    all.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  const ids = all.map((g) => g._id)
  assert.ok(ids.includes('goods-zz-fine'), ids.join())
  assert.ok(!ids.includes('goods-zz-float') && !ids.includes('goods-zz-text'), ids.join())
  assert.ok(all.every((g) => Number.isSafeInteger(g.priceFen)))
  assert.equal(ids.length, cloud.engine.count('goods', { onSale: true }) - 2)
})
