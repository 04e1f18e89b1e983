import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AppError } from '../errors'
import { assertShopperWords } from '../testing/shopperWords'
import {
  AFTER_SALE_FULFILMENT,
  AFTER_SALE_ID,
  AFTER_SALE_REASON_MAX,
  afterSaleRefusal,
  ALREADY_PENDING,
  FULLY_REFUNDED,
  hasPendingAfterSale,
  NOT_SHIPPED,
  parseAfterSaleReason,
} from './afterSale'
import type { FulfilmentState } from './fulfilment'
import { fen } from './money'
import type { OrderStatus } from './orderState'

function refused(raw: unknown): AppError {
  try {
    parseAfterSaleReason(raw)
  } catch (error) {
    assert.ok(error instanceof AppError)
    assert.equal(error.code, 'INVALID_ARGUMENT')
    assertShopperWords(error.message)
    return error
  }
  assert.fail(`accepted ${JSON.stringify(raw)}`)
}

test('a reason is trimmed and kept as typed, up to 200 characters counted as characters', () => {
  assert.equal(AFTER_SALE_REASON_MAX, 200)
  assert.equal(parseAfterSaleReason('  杯子有裂纹  '), '杯子有裂纹')
  assert.equal(parseAfterSaleReason('一'.repeat(200)), '一'.repeat(200))
  assert.equal(parseAfterSaleReason('😀'.repeat(200)), '😀'.repeat(200), 'an emoji is one character, though two UTF-16 units')
  assert.equal(parseAfterSaleReason('x'), 'x')
})

test('missing, blank, too long, not text or with a control character: refused, naming the reason', () => {
  for (const blank of [undefined, null, '', '   ', '\u3000']) {
    const error = refused(blank)
    assert.equal(error.message, '请填写售后原因', JSON.stringify(blank))
    assert.equal(error.detail, 'reason is required')
  }
  const long = refused('一'.repeat(201))
  assert.equal(long.message, '售后原因最多 200 个字')
  assert.equal(long.detail, 'reason is longer than 200 characters')
  for (const odd of [42, {}, ['坏了'], true]) {
    const error = refused(odd)
    assert.equal(error.message, '售后原因格式不正确')
    assert.equal(error.detail, 'reason must be a string')
  }
  for (const control of ['坏了\n谢谢', '坏\r了', 'a\u0000b', 'a\u001fb', 'a\u007fb', 'a\u009fb', 'a\u2028b', 'a\u2029b', 'a\tb']) {
    const error = refused(control)
    assert.equal(error.message, '售后原因不能换行或包含特殊字符', JSON.stringify(control))
    assert.equal(error.detail, 'reason has a control character or line break')
  }
  assert.equal(parseAfterSaleReason('a\u00a0b'), 'a\u00a0b', 'a no-break space is text')
})

test('a request id is 8 to 64 letters, digits, _ or -', () => {
  for (const good of ['abcdefgh', 'A'.repeat(64), 'req_0001-x']) assert.equal(AFTER_SALE_ID.test(good), true, good)
  for (const bad of ['abcdefg', 'A'.repeat(65), 'abc defgh', 'abcdefgh!', 'abcdéfgh', '.abcdefgh']) assert.equal(AFTER_SALE_ID.test(bad), false, bad)
})

const order = (status: OrderStatus, state: FulfilmentState | undefined, refundReservedFee = 0, requests: string[] = []) => ({
  status,
  totalFee: fen(1000),
  refundReservedFee: fen(refundReservedFee),
  ...(state ? { fulfilment: { state } } : {}),
  afterSales: Object.fromEntries(requests.map((s, i) => [`req-${i}`, { state: s as 'PENDING' | 'APPROVED' | 'REJECTED' }])),
})

test('after-sale is for shipped or received orders with something left to refund and no request pending', () => {
  assert.deepEqual(AFTER_SALE_FULFILMENT, ['SHIPPED', 'RECEIVED'])
  assert.equal(afterSaleRefusal(order('SUCCESS', 'SHIPPED')), null)
  assert.equal(afterSaleRefusal(order('SUCCESS', 'RECEIVED', 999, ['REJECTED', 'APPROVED'])), null)
  for (const state of ['PENDING', 'CANCELLED', undefined] as const) assert.equal(afterSaleRefusal(order('SUCCESS', state)), NOT_SHIPPED, String(state))
  assert.equal(afterSaleRefusal(order('NOTPAY', undefined)), NOT_SHIPPED)
  assert.equal(afterSaleRefusal(order('SUCCESS', 'RECEIVED', 1000)), FULLY_REFUNDED)
  assert.equal(afterSaleRefusal(order('REFUND', 'RECEIVED', 1000)), FULLY_REFUNDED)
  assert.equal(afterSaleRefusal(order('REFUND', 'SHIPPED', 0)), FULLY_REFUNDED, 'REFUND is refunded in full whatever the counters say')
  assert.equal(afterSaleRefusal(order('SUCCESS', 'SHIPPED', 0, ['REJECTED', 'PENDING'])), ALREADY_PENDING)
  for (const words of [NOT_SHIPPED, FULLY_REFUNDED, ALREADY_PENDING]) assertShopperWords(words)
})

test('a pending request is one in PENDING, whatever else there is', () => {
  assert.equal(hasPendingAfterSale({ afterSales: {} }), false)
  assert.equal(hasPendingAfterSale(order('SUCCESS', 'SHIPPED', 0, ['APPROVED', 'REJECTED'])), false)
  assert.equal(hasPendingAfterSale(order('SUCCESS', 'SHIPPED', 0, ['APPROVED', 'PENDING'])), true)
})
