import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { AppError } from '../errors'
import { beijingTimestamp, parseBeijingTimestamp } from './beijingTime'
import { parseCart, priceCart, type Goods } from './cart'
import { addFen, fen, timesQuantity, type Fen } from './money'
import { isOutTradeNo, newOutTradeNo } from './outTradeNo'
import { decidePaid, type OrderSnapshot, type PaidFacts } from './payment'
import { orderBody } from './orderView'

const code = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError'
  }
  return undefined
}

describe('money', () => {
  test('fen accepts only non-negative safe integers', () => {
    assert.equal(fen(1990), 1990)
    for (const bad of [19.9, -1, Number.NaN, Infinity, '1990', 2 ** 53, null])
      assert.equal(
        code(() => fen(bad)),
        'INVALID_ARGUMENT',
        String(bad),
      )
  })
  test('arithmetic stays in integers and refuses to overflow', () => {
    assert.equal(timesQuantity(fen(29), 3), 87)
    assert.equal(addFen(fen(1), fen(2)), 3)
    assert.equal(
      code(() => timesQuantity(fen(Number.MAX_SAFE_INTEGER), 2)),
      'INVALID_ARGUMENT',
    )
  })
})

describe('outTradeNo', () => {
  test('has the WeChat shape and starts with the Beijing time of creation', () => {
    const id = newOutTradeNo(Date.UTC(2026, 10, 27, 1, 2, 3), randomBytes)
    assert.ok(isOutTradeNo(id))
    assert.match(id, /^20261127090203\d{14}$/)
    assert.equal(id.length, 28)
  })
  test('10,000 made at the same instant are all different', () => {
    const now = Date.now()
    const ids = new Set(Array.from({ length: 10_000 }, () => newOutTradeNo(now, randomBytes)))
    assert.equal(ids.size, 10_000)
  })
  test('uses the random source it is given, without bias from rejected bytes', () => {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 255 : i))
    assert.match(newOutTradeNo(0, bytes), /^19700101080000\d{14}$/)
  })
})

describe('Beijing time', () => {
  test('formats UTC+8 and parses back, refusing impossible dates', () => {
    const ms = Date.UTC(2026, 11, 31, 16, 30, 0) // 2027-01-01 00:30 in Beijing
    assert.equal(beijingTimestamp(ms), '20270101003000')
    assert.equal(parseBeijingTimestamp('20270101003000'), ms)
    assert.equal(parseBeijingTimestamp('20270230120000'), undefined)
    assert.equal(parseBeijingTimestamp('2027-01-01'), undefined)
  })
})

describe('cart', () => {
  const goods: Goods[] = [
    { _id: 'a', name: 'A', description: '', priceFen: fen(1990), pic: '/a.png', pics: ['/a.png'], onSale: true },
    { _id: 'b', name: 'B', description: '', priceFen: fen(29), pic: '/b.png', pics: ['/b.png'], onSale: true },
    { _id: 'old', name: 'Old', description: '', priceFen: fen(100), pic: '', pics: [], onSale: false },
  ]
  test('prices lines from the goods, never from the input', () => {
    const cart = parseCart([
      { goodsId: 'a', quantity: 2, priceFen: 1 },
      { goodsId: 'b', quantity: 3 },
    ])
    const { lines, totalFee } = priceCart(cart, goods)
    assert.equal(totalFee, 2 * 1990 + 3 * 29)
    assert.deepEqual(lines[0], { goodsId: 'a', name: 'A', priceFen: 1990, quantity: 2, pic: '/a.png' })
  })
  test('refuses off-sale and unknown goods, and totals WeChat cannot take', () => {
    assert.equal(
      code(() => priceCart(parseCart([{ goodsId: 'old', quantity: 1 }]), goods)),
      'GOODS_NOT_FOUND',
    )
    assert.equal(
      code(() => priceCart(parseCart([{ goodsId: 'zzz', quantity: 1 }]), goods)),
      'GOODS_NOT_FOUND',
    )
    const pricey: Goods[] = [{ _id: 'gold', name: 'Gold', description: '', priceFen: fen(50_000_000), pic: '', pics: [], onSale: true }]
    assert.equal(
      code(() => priceCart(parseCart([{ goodsId: 'gold', quantity: 99 }]), pricey)),
      'INVALID_ARGUMENT',
    )
  })
  test('line rules', () => {
    assert.equal(parseCart(Array.from({ length: 20 }, (_, i) => ({ goodsId: `g${i}`, quantity: 99 }))).length, 20)
    for (const bad of [
      [],
      Array.from({ length: 21 }, (_, i) => ({ goodsId: `g${i}`, quantity: 1 })),
      [{ goodsId: 'a', quantity: 0 }],
      [{ goodsId: 'a', quantity: '2' }],
      [
        { goodsId: 'a', quantity: 1 },
        { goodsId: 'a', quantity: 1 },
      ],
    ]) {
      assert.equal(
        code(() => parseCart(bad)),
        'INVALID_ARGUMENT',
        JSON.stringify(bad).slice(0, 60),
      )
    }
  })
  test('order body is short', () => {
    assert.equal(orderBody([{ name: 'A', quantity: 1 }]), 'A')
    assert.equal(
      orderBody([
        { name: 'A', quantity: 2 },
        { name: 'B', quantity: 1 },
      ]),
      'A 等3件',
    )
    assert.ok(orderBody([{ name: '长'.repeat(100), quantity: 1 }]).length <= 25)
  })
})

describe('deciding on a "paid" assertion', () => {
  const order: OrderSnapshot = { status: 'NOTPAY', totalFee: 1990 as Fen, mchId: '1900000109' }
  const facts: PaidFacts = { outTradeNo: 'x'.repeat(28), transactionId: 't1', totalFee: 1990 as Fen, mchId: '1900000109' }
  test('applies to an unpaid or failed order', () => {
    assert.equal(decidePaid(order, facts).kind, 'apply')
    assert.equal(decidePaid({ ...order, status: 'PAYERROR' }, facts).kind, 'apply')
  })
  test('refuses wrong amount, wrong merchant, unknown order, a closed order, another transaction', () => {
    assert.match((decidePaid(order, { ...facts, totalFee: 1 as Fen }) as { reason: string }).reason, /amount mismatch/)
    assert.match((decidePaid(order, { ...facts, mchId: '1' }) as { reason: string }).reason, /merchant mismatch/)
    assert.equal(decidePaid(null, facts).kind, 'reject')
    assert.equal(decidePaid({ ...order, status: 'CLOSED' }, facts).kind, 'late')
    assert.equal(decidePaid({ ...order, status: 'CLOSED', latePayment: { transactionId: 't1' } }, facts).kind, 'duplicate')
    assert.equal(decidePaid({ ...order, status: 'CLOSED', latePayment: { transactionId: 't0' } }, facts).kind, 'reject')
    assert.equal(decidePaid({ ...order, status: 'SUCCESS', transactionId: 'other' }, facts).kind, 'reject')
  })
  test('a repeat of the recorded payment is a duplicate', () => {
    assert.equal(decidePaid({ ...order, status: 'SUCCESS', transactionId: 't1' }, facts).kind, 'duplicate')
  })
})
