import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fen } from './money'
import { MAX_REFUNDS, OUT_REFUND_NO, paidAmount, parseRefundNotification, refundable } from './refund'
import type { OrderStatus } from './orderState'

const GOOD = { outTradeNo: '20261128100000abcdefABCDEF12', outRefundNo: 'R-0001', refundFee: 500, refundStatus: 'SUCCESS', mchId: '1900000109' }

test('a refund notification parses from cloudPay numbers or APIv2 text into the same facts', () => {
  const facts = { outTradeNo: GOOD.outTradeNo, outRefundNo: 'R-0001', refundFee: 500, status: 'SUCCESS', mchId: '1900000109' }
  assert.deepEqual(parseRefundNotification(GOOD), { ok: true, facts })
  assert.deepEqual(parseRefundNotification({ ...GOOD, refundFee: '500', mchId: 1900000109 }), { ok: true, facts })
  for (const status of ['SUCCESS', 'CHANGE', 'REFUNDCLOSE']) {
    const parsed = parseRefundNotification({ ...GOOD, refundStatus: status })
    assert.ok(parsed.ok, status)
    assert.equal(parsed.facts.status, status)
  }
})

test('each malformed field is refused with its own reason', () => {
  const reason = (fields: Partial<typeof GOOD> | Record<string, unknown>): string => {
    const parsed = parseRefundNotification({ ...GOOD, ...fields })
    assert.equal(parsed.ok, false, JSON.stringify(fields))
    return parsed.ok ? '' : parsed.reason
  }
  for (const outTradeNo of [undefined, 'short', 42]) assert.equal(reason({ outTradeNo }), 'out_trade_no is missing or malformed')
  for (const outRefundNo of [undefined, 'R-01', 'x'.repeat(65), 'has space1', ['R-0001'], 123456, '!R-0001', 'R-0001!'])
    assert.equal(reason({ outRefundNo }), 'out_refund_no is missing or malformed', String(outRefundNo))
  for (const refundFee of [0, -1, 1.5, '0', '-5', '1.5', ' 500', '500 ', '12345678901', 'abc', null, [500], Number.MAX_SAFE_INTEGER + 2])
    assert.equal(reason({ refundFee }), 'refund_fee is missing or malformed', String(refundFee))
  for (const refundStatus of ['PROCESSING', 'success', undefined]) assert.equal(reason({ refundStatus }), `refund_status is ${String(refundStatus)}`)
  for (const mchId of [undefined, '', 'abc', '19000001x', ['1900000109'], '1'.repeat(33), ' 1900000109'])
    assert.equal(reason({ mchId }), 'mch_id is missing or malformed', String(mchId))
})

test('the boundaries of an accepted refund', () => {
  assert.ok(parseRefundNotification({ ...GOOD, outRefundNo: 'R'.repeat(6) }).ok)
  assert.ok(parseRefundNotification({ ...GOOD, outRefundNo: 'R'.repeat(64) }).ok)
  assert.ok(parseRefundNotification({ ...GOOD, refundFee: '9999999999' }).ok)
  assert.ok(parseRefundNotification({ ...GOOD, refundFee: 1 }).ok)
  assert.ok(parseRefundNotification({ ...GOOD, mchId: '1'.repeat(32) }).ok)
  assert.ok(OUT_REFUND_NO.test('abc_DEF-12'))
  assert.equal(MAX_REFUNDS, 50)
})

test('what was paid: the total once paid or refunded, a late payment on a closed order, else nothing', () => {
  const order = (status: OrderStatus, late?: number) => ({
    status,
    totalFee: fen(1990),
    ...(late === undefined ? {} : { latePayment: { totalFee: fen(late) } }),
  })
  assert.equal(paidAmount(order('SUCCESS')), 1990)
  assert.equal(paidAmount(order('REFUND')), 1990)
  assert.equal(paidAmount(order('CLOSED', 1500)), 1500)
  assert.equal(paidAmount(order('CLOSED')), 0)
  assert.equal(paidAmount(order('NOTPAY')), 0)
  assert.equal(paidAmount(order('PAYERROR')), 0)
  // A late payment counts only on a closed order.
  assert.equal(paidAmount(order('NOTPAY', 1500)), 0)
  assert.equal(paidAmount(order('PAYERROR', 1500)), 0)
})

test('what can still be refunded is what was paid less what is reserved, never below zero', () => {
  assert.equal(refundable({ status: 'SUCCESS', totalFee: fen(1990), refundReservedFee: fen(490) }), 1500)
  assert.equal(refundable({ status: 'SUCCESS', totalFee: fen(1990), refundReservedFee: fen(1990) }), 0)
  assert.equal(refundable({ status: 'REFUND', totalFee: fen(1990), refundReservedFee: fen(2500) }), 0)
  assert.equal(refundable({ status: 'CLOSED', totalFee: fen(1990), refundReservedFee: fen(100), latePayment: { totalFee: fen(1990) } }), 1890)
  assert.equal(refundable({ status: 'NOTPAY', totalFee: fen(1990), refundReservedFee: fen(0) }), 0)
})
