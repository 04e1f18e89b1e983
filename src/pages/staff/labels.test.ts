import assert from 'node:assert/strict'
import { test } from 'node:test'
import { carrierName, staffBadge, timelineTitle } from './labels'

test('staff read where an order is in their own words', () => {
  const paid = { status: 'SUCCESS' as const, paidFee: 1000, refundedFee: 0 }
  const cases: Array<[Parameters<typeof staffBadge>[0], string]> = [
    [{ ...paid, status: 'NOTPAY', paidFee: 0, fulfilment: null }, '待付款'],
    [{ ...paid, status: 'CLOSED', paidFee: 0, fulfilment: null }, '已关闭'],
    [{ ...paid, fulfilment: 'PENDING' }, '待发货'],
    [{ ...paid, fulfilment: 'PENDING', refundedFee: 300 }, '待发货'],
    [{ ...paid, fulfilment: 'SHIPPED' }, '已发货'],
    [{ ...paid, fulfilment: 'RECEIVED' }, '已收货'],
    [{ ...paid, status: 'REFUND', fulfilment: 'SHIPPED', refundedFee: 1000 }, '已退款'],
    [{ ...paid, status: 'REFUND', fulfilment: 'CANCELLED', refundedFee: 1000 }, '已取消'],
    [{ ...paid, fulfilment: null }, '已支付'],
  ]
  for (const [order, label] of cases) assert.equal(staffBadge(order).label, label, JSON.stringify(order))
})

test('carrier codes and timeline kinds become words; unknown ones stay readable', () => {
  assert.deepEqual(['SF', 'PICKUP', 'UPS', null].map(carrierName), ['顺丰速运', '到店自提', 'UPS', '—'])
  const at = '2026-11-27T01:00:00.000Z'
  assert.equal(timelineTitle({ at, source: 'staff', kind: 'ship:ok', detail: '' }), '操作 · 发货 · 成功')
  assert.equal(timelineTitle({ at, source: 'payment', kind: 'payment_notify:applied', detail: '' }), '支付 · 支付通知 · 已处理')
  assert.equal(timelineTitle({ at, source: 'staff', kind: 'refund:REFUND_NOT_ALLOWED', detail: '' }), '操作 · 退款 · 未完成（REFUND_NOT_ALLOWED）')
  assert.equal(timelineTitle({ at, source: 'order', kind: 'created', detail: '' }), '订单 · 下单')
})
