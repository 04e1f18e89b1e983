import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AppError } from '../errors'
import { assertShopperWords } from '../testing/shopperWords'
import { MAX_LINES, MAX_QUANTITY, parseCart, priceCart, type Goods } from './cart'
import { fen, MAX_TOTAL_FEN } from './money'

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof AppError, String(error))
    assertShopperWords(error.message)
    return error
  }
  assert.fail('expected a refusal')
}

const line = (goodsId: unknown, quantity: unknown = 1) => ({ goodsId, quantity })

test('the limits are the shared ones', () => {
  assert.equal(MAX_LINES, 20)
  assert.equal(MAX_QUANTITY, 99)
})

test('a cart is 1 to 20 lines', () => {
  for (const raw of [[], undefined, 'x', Array.from({ length: 21 }, (_, i) => line(`g${i}`))]) {
    const error = refusal(() => parseCart(raw))
    assert.equal(error.code, 'INVALID_ARGUMENT')
    assert.equal(error.message, '一次最多购买 20 种商品，且不能为空')
    assert.equal(error.detail, 'items must be a list of 1 to 20 lines')
  }
  assert.equal(parseCart(Array.from({ length: 20 }, (_, i) => line(`g${i}`))).length, 20)
})

test('a goods id is 1-64 characters of [A-Za-z0-9_-], a string', () => {
  for (const goodsId of ['', '!abc', 'abc!', 'a b', 'x'.repeat(65), 123, null, ['abc']]) {
    const error = refusal(() => parseCart([line('ok'), line(goodsId)]))
    assert.equal(error.code, 'INVALID_ARGUMENT')
    assert.equal(error.detail, 'items[1].goodsId is not valid', String(goodsId))
  }
  assert.deepEqual(parseCart([line('x'.repeat(64)), line('a_B-9')]), [line('x'.repeat(64)), line('a_B-9')])
})

test('a line must be an object', () => {
  const error = refusal(() => parseCart([line('ok'), 'not a line']))
  assert.equal(error.detail, 'items[1] must be an object')
})

test('a quantity is an integer from 1 to 99', () => {
  for (const quantity of [0, 100, 1.5, -1, '5', null, undefined]) {
    const error = refusal(() => parseCart([{ goodsId: 'a', quantity }]))
    assert.equal(error.message, '每种商品的数量应为 1–99 件', String(quantity))
    assert.equal(error.detail, 'items[0].quantity must be an integer from 1 to 99')
  }
  assert.deepEqual(parseCart([line('a', 1), line('b', 99)]), [line('a', 1), line('b', 99)])
})

test('the same goods twice is refused', () => {
  const error = refusal(() => parseCart([line('a'), line('a', 2)]))
  assert.equal(error.detail, 'items lists a twice')
})

const goods = (over: Partial<Goods> = {}): Goods => ({
  _id: 'a',
  name: '咖啡',
  description: '',
  priceFen: fen(100),
  pic: '/a.png',
  pics: ['/a.png'],
  onSale: true,
  ...over,
})

test('off-sale or unknown goods: GOODS_NOT_FOUND naming the goods when it is known', () => {
  const off = refusal(() => priceCart([line('a') as { goodsId: string; quantity: number }], [goods({ onSale: false })]))
  assert.equal(off.code, 'GOODS_NOT_FOUND')
  assert.equal(off.message, '「咖啡」已下架，请调整后再下单')
  assert.equal(off.detail, 'goods a is missing or off sale')
  const unknown = refusal(() => priceCart([{ goodsId: 'zz', quantity: 1 }], [goods()]))
  assert.equal(unknown.message, '有商品已下架，请调整后再下单')
  assert.equal(unknown.detail, 'goods zz is missing or off sale')
})

test('a total WeChat Pay cannot take is refused: zero, or above 2^31-1 fen; the maximum itself is fine', () => {
  const zero = refusal(() => priceCart([{ goodsId: 'a', quantity: 3 }], [goods({ priceFen: fen(0) })]))
  assert.equal(zero.code, 'INVALID_ARGUMENT')
  assert.equal(zero.message, '订单金额超出微信支付允许的范围')
  assert.equal(zero.detail, 'total 0 fen')
  const over = refusal(() => priceCart([{ goodsId: 'a', quantity: 1 }], [goods({ priceFen: fen(MAX_TOTAL_FEN + 1) })]))
  assert.equal(over.detail, `total ${MAX_TOTAL_FEN + 1} fen`)
  assert.equal(priceCart([{ goodsId: 'a', quantity: 1 }], [goods({ priceFen: fen(MAX_TOTAL_FEN) })]).totalFee, MAX_TOTAL_FEN)
})

test('lines are priced from the goods, in the cart order', () => {
  const priced = priceCart(
    [
      { goodsId: 'b', quantity: 2 },
      { goodsId: 'a', quantity: 1 },
    ],
    [goods(), goods({ _id: 'b', name: '茶', priceFen: fen(250), pic: '/b.png' })],
  )
  assert.deepEqual(priced, {
    lines: [
      { goodsId: 'b', name: '茶', priceFen: 250, quantity: 2, pic: '/b.png' },
      { goodsId: 'a', name: '咖啡', priceFen: 100, quantity: 1, pic: '/a.png' },
    ],
    totalFee: 600,
  })
})
