import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Goods } from '../core/cart'
import { fen } from '../core/money'
import type { ListGoodsData } from '../contracts'
import { refusal } from '../testing/assertions'
import { GOODS, MemoryGoods } from '../testing/memory'
import { listGoods as listAny } from './listGoods'

/** A page of the list (the event has no `id`). */
const listGoods = (goods: MemoryGoods, event: unknown): Promise<ListGoodsData> => listAny(goods, event) as Promise<ListGoodsData>

const goodsNamed = (...ids: string[]): Goods[] =>
  ids.map((_id, i) => ({ _id, name: `商品${i}`, description: `第${i}件`, priceFen: fen(100 + i), pic: `/${_id}.png`, pics: [`/${_id}.png`], onSale: true }))
const ids = (data: ListGoodsData): string[] => data.items.map((item) => item._id)
const numbered = (count: number): string[] => Array.from({ length: count }, (_, i) => `g${String(i).padStart(2, '0')}`)

describe('listGoods', () => {
  test('lists what is on sale, by id, with what a shopper sees of each', async () => {
    const data = await listGoods(new MemoryGoods(GOODS), {})
    assert.deepEqual(data, {
      items: [
        { _id: 'coffee', name: '挂耳咖啡', description: '', priceFen: 1990, pic: '/c.png', pics: ['/c.png'], onSale: true },
        { _id: 'tea', name: '红茶', description: '', priceFen: 2900, pic: '/t.png', pics: ['/t.png', '/t-2.png'], onSale: true },
      ],
      nextCursor: null,
    })
  })

  test('twenty a page by default; nextCursor is the last id shown and the next page follows it', async () => {
    const all = numbered(25)
    const goods = new MemoryGoods(goodsNamed(...all))
    const first = await listGoods(goods, {})
    assert.deepEqual(ids(first), all.slice(0, 20))
    assert.equal(first.nextCursor, 'g19')
    const second = await listGoods(goods, { cursor: first.nextCursor })
    assert.deepEqual(ids(second), all.slice(20))
    assert.equal(second.nextCursor, null)
    assert.deepEqual(ids(await listGoods(goods, { limit: null, cursor: null })), all.slice(0, 20))
  })

  test('a page exactly as long as what is left has no next cursor', async () => {
    const goods = new MemoryGoods(goodsNamed('a', 'b', 'c'))
    assert.deepEqual(await listGoods(goods, { limit: 3 }).then(ids), ['a', 'b', 'c'])
    assert.equal((await listGoods(goods, { limit: 3 })).nextCursor, null)
    const two = await listGoods(goods, { limit: 2 })
    assert.deepEqual(ids(two), ['a', 'b'])
    assert.equal(two.nextCursor, 'b')
  })

  test('limit is 1 to 50', async () => {
    const goods = new MemoryGoods(goodsNamed(...numbered(60)))
    const one = await listGoods(goods, { limit: 1 })
    assert.deepEqual(ids(one), ['g00'])
    assert.equal(one.nextCursor, 'g00')
    const fifty = await listGoods(goods, { limit: 50 })
    assert.equal(fifty.items.length, 50)
    assert.equal(fifty.nextCursor, 'g49')
    for (const limit of [0, 51, -1, 2.5, '5', false]) {
      const failure = await refusal(listGoods(goods, { limit }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请求参数有误，请刷新后重试')
    }
  })

  test('a cursor is 1 to 64 letters, digits, _ or -', async () => {
    const goods = new MemoryGoods(goodsNamed('A', 'Z', 'a', 'z'))
    for (const cursor of ['0', '9', 'A', 'Z', 'a', 'z', '_', '-', 'Az09_-', 'x'.repeat(64)]) {
      const data = await listGoods(goods, { cursor })
      assert.deepEqual(
        ids(data),
        ['A', 'Z', 'a', 'z'].filter((id) => id > cursor),
        cursor,
      )
    }
    for (const cursor of ['', 'x'.repeat(65), 'a b', 'a.b', '!a', 'a!', '$gt', '中', 7, { $gt: '' }]) {
      const failure = await refusal(listGoods(goods, { cursor }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请求参数有误，请刷新后重试', JSON.stringify(cursor))
    }
  })

  test('an event that is not a plain object is refused', async () => {
    for (const event of [null, 'goods', [], { $where: 1 }]) await refusal(listGoods(new MemoryGoods(GOODS), event), 'INVALID_ARGUMENT')
  })
})

describe('listGoods: malformed goods documents', () => {
  const withMalformed = (good: string[], bad: string[]): MemoryGoods => {
    const goods = new MemoryGoods(goodsNamed(...good))
    for (const _id of bad) goods.malformed.push({ _id, name: '坏数据', priceFen: 19.9, onSale: true })
    return goods
  }

  test('are skipped, and the page after them still follows', async () => {
    const goods = withMalformed(['a', 'c', 'd'], ['b'])
    const first = await listGoods(goods, { limit: 2 })
    assert.deepEqual(ids(first), ['a', 'c'])
    assert.equal(first.nextCursor, 'c')
    const second = await listGoods(goods, { limit: 2, cursor: first.nextCursor })
    assert.deepEqual(ids(second), ['d'])
    assert.equal(second.nextCursor, null)
  })

  test('a page of nothing but malformed documents still gives a cursor past them', async () => {
    const goods = withMalformed(['z'], ['b1', 'b2', 'b3'])
    const first = await listGoods(goods, { limit: 2 })
    assert.deepEqual(first, { items: [], nextCursor: 'b3' })
    const second = await listGoods(goods, { limit: 2, cursor: first.nextCursor })
    assert.deepEqual(ids(second), ['z'])
    assert.equal(second.nextCursor, null)
  })

  test('at the end of the list, they leave no cursor', async () => {
    const goods = withMalformed(['a', 'b'], ['c'])
    const first = await listGoods(goods, { limit: 2 })
    assert.deepEqual(ids(first), ['a', 'b'])
    assert.equal(first.nextCursor, 'b')
    assert.deepEqual(await listGoods(goods, { limit: 2, cursor: 'b' }), { items: [], nextCursor: null })
  })
})

describe('listGoods: one goods by id', () => {
  test('answers the goods with every picture, cover first, even off sale', async () => {
    const goods = new MemoryGoods(GOODS)
    assert.deepEqual(await listAny(goods, { id: 'tea' }), {
      _id: 'tea',
      name: '红茶',
      description: '',
      priceFen: 2900,
      pic: '/t.png',
      pics: ['/t.png', '/t-2.png'],
      onSale: true,
    })
    assert.deepEqual(await listAny(goods, { id: 'old' }), {
      _id: 'old',
      name: '旧款',
      description: '',
      priceFen: 100,
      pic: '/o.png',
      pics: ['/o.png'],
      onSale: false,
    })
    // Paging keys beside the id change nothing.
    assert.equal(((await listAny(goods, { id: 'coffee', limit: 0, cursor: '!' })) as { _id: string })._id, 'coffee')
  })

  test('a view is a copy: changing it changes nothing stored', async () => {
    const goods = new MemoryGoods(GOODS)
    const view = (await listAny(goods, { id: 'tea' })) as { pics: string[] }
    view.pics.push('/x.png')
    assert.deepEqual(((await listAny(goods, { id: 'tea' })) as { pics: string[] }).pics, ['/t.png', '/t-2.png'])
  })

  test('a missing goods, or one whose document is malformed, is GOODS_NOT_FOUND in shopper words', async () => {
    const goods = new MemoryGoods(GOODS)
    goods.malformed.push({ _id: 'broken', name: '坏数据', priceFen: 19.9, onSale: true })
    for (const id of ['nope', 'broken']) {
      const failure = await refusal(listAny(goods, { id }), 'GOODS_NOT_FOUND')
      assert.equal(failure.message, '商品不存在或已下架')
      assert.equal(failure.detail, `goods ${id} not found`)
    }
  })

  test('a malformed id is INVALID_ARGUMENT', async () => {
    const goods = new MemoryGoods(GOODS)
    for (const id of ['', 'x'.repeat(65), 'a b', '$gt', '中', 7, null, { $gt: '' }, ['coffee']]) {
      const failure = await refusal(listAny(goods, { id }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请求参数有误，请刷新后重试', JSON.stringify(id))
      assert.equal(failure.detail, 'id is not a valid goods id')
    }
    assert.equal(((await listAny(goods, { id: 'x'.repeat(64) }).catch((e: { code: string }) => e)) as { code: string }).code, 'GOODS_NOT_FOUND')
  })
})

describe('listGoods: pictures as stored', () => {
  const stored = (doc: Record<string, unknown>): MemoryGoods => {
    const goods = new MemoryGoods([])
    goods.malformed.push({ _id: 'g', name: '商品', priceFen: 100, onSale: true, ...doc })
    return goods
  }
  const pictures = async (doc: Record<string, unknown>) => {
    const { pic, pics } = (await listAny(stored(doc), { id: 'g' })) as { pic: string; pics: string[] }
    return { pic, pics }
  }

  test('pics is every picture, cover first; what is not a text (or is empty) is dropped', async () => {
    assert.deepEqual(await pictures({ pic: '/old.png', pics: ['/1.png', 2, null, '', '/2.png', { url: '/3.png' }] }), {
      pic: '/1.png',
      pics: ['/1.png', '/2.png'],
    })
  })

  test('goods stored with one pic (or an empty or malformed pics) show that one', async () => {
    for (const pics of [undefined, [], [7, ''], '/x.png', null])
      assert.deepEqual(await pictures({ pic: '/only.png', pics }), { pic: '/only.png', pics: ['/only.png'] })
  })

  test('goods with no picture have none', async () => {
    for (const pic of [undefined, '', 42]) assert.deepEqual(await pictures({ pic }), { pic: '', pics: [] })
  })
})
