// listGoods through the local cloud: a goods document with a malformed price is skipped (and
// logged), never breaking the list; paging walks past it. One goods by id, with its pictures.
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

test('one goods by id: every picture cover first, on sale or not; a missing one is GOODS_NOT_FOUND', async () => {
  await cloud.engine.insert('goods', [
    { _id: 'goods-zz-pics', name: '多图商品', description: '三张图', priceFen: 900, pic: '/old.png', pics: ['/1.png', 7, '', '/2.png'], onSale: true },
  ]).written
  const one = data(await call<GoodsView>(cloud, 'listGoods', { id: 'goods-zz-pics' }, 'browser-1'))
  assert.deepEqual(one, {
    _id: 'goods-zz-pics',
    name: '多图商品',
    description: '三张图',
    priceFen: 900,
    pic: '/1.png',
    pics: ['/1.png', '/2.png'],
    onSale: true,
  })
  const retired = data(await call<GoodsView>(cloud, 'listGoods', { id: 'goods-retired' }, 'browser-1'))
  assert.equal(retired.onSale, false)
  assert.deepEqual(retired.pics, [retired.pic])
  const listed = data(await call<ListGoodsData>(cloud, 'listGoods', { limit: 50 }, 'browser-1')).items
  assert.ok(
    listed.every((g) => g.onSale && (g.pics[0] ?? '') === g.pic),
    'the list has only goods on sale, each with its pictures',
  )
  for (const [event, code, message] of [
    [{ id: 'goods-nope' }, 'GOODS_NOT_FOUND', '商品不存在或已下架'],
    [{ id: 'goods-zz-float' }, 'GOODS_NOT_FOUND', '商品不存在或已下架'],
    [{ id: 'a b' }, 'INVALID_ARGUMENT', '请求参数有误，请刷新后重试'],
    [{ id: { $gt: '' } }, 'INVALID_ARGUMENT', '请求参数有误，请刷新后重试'],
  ] as const) {
    const result = await call(cloud, 'listGoods', event, 'browser-1')
    assert.ok(!result.ok)
    assert.deepEqual([result.error.code, result.error.message], [code, message], JSON.stringify(event))
  }
})
