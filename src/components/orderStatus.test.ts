import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FULFILMENT_STATES, ORDER_STATUSES, type FulfilmentState, type OrderStatus, type RefundStatus } from '../../cloud/payment/contracts'
import { orderLabel, orderStatus, type OrderLabelInput } from './orderStatus'

const paid = (state: FulfilmentState | null, over: Partial<OrderLabelInput> = {}): OrderLabelInput => ({
  status: 'SUCCESS',
  fulfilment: state ? { state } : null,
  refunds: [],
  refundedFee: 0,
  totalFee: 1000,
  ...over,
})
const refund = (status: RefundStatus) => ({ status })

describe('orderLabel: one word per order state', () => {
  test('unpaid, failed and closed orders read from the status alone', () => {
    assert.equal(orderLabel({ status: 'NOTPAY', fulfilment: null }), '待付款')
    assert.equal(orderLabel({ status: 'PAYERROR', fulfilment: null }), '支付失败')
    assert.equal(orderLabel({ status: 'CLOSED', fulfilment: null }), '已取消')
  })

  test('a paid order says where its goods are', () => {
    assert.equal(orderLabel(paid('PENDING')), '待发货')
    assert.equal(orderLabel(paid('SHIPPED')), '待收货')
    assert.equal(orderLabel(paid('RECEIVED')), '已完成')
    // Without fulfilment the label does not guess a shipping state.
    assert.equal(orderLabel(paid(null)), '已支付')
    assert.equal(orderLabel({ status: 'SUCCESS' }), '已支付')
  })

  test('refunds: in progress, in full, and a partial one that leaves the order going on', () => {
    assert.equal(orderLabel(paid('PENDING', { refunds: [refund('PROCESSING')] })), '退款中')
    assert.equal(orderLabel(paid('RECEIVED', { status: 'REFUND', refunds: [refund('SUCCESS'), refund('PROCESSING')], refundedFee: 300 })), '退款中')
    assert.equal(orderLabel(paid('RECEIVED', { status: 'REFUND', refunds: [refund('SUCCESS')], refundedFee: 1000 })), '已退款')
    assert.equal(orderLabel(paid('SHIPPED', { status: 'REFUND', refunds: [refund('SUCCESS')], refundedFee: 300 })), '待收货')
    assert.equal(orderLabel(paid('RECEIVED', { status: 'REFUND', refunds: [refund('SUCCESS')], refundedFee: 300 })), '已完成')
    // The status alone: REFUND is taken as refunded.
    assert.equal(orderLabel({ status: 'REFUND' }), '已退款')
  })

  test('cancelled after paying: 退款中 until the money is back, then 已退款', () => {
    assert.equal(orderLabel(paid('CANCELLED', { refunds: [refund('PROCESSING')] })), '退款中')
    assert.equal(orderLabel(paid('CANCELLED', { refunds: [refund('FAILED')] })), '退款中')
    assert.equal(orderLabel(paid('CANCELLED', { status: 'REFUND', refunds: [refund('SUCCESS')], refundedFee: 1000 })), '已退款')
  })

  test('every status and fulfilment state has a label and a tone that the badge styles', () => {
    const tones = new Set<string>()
    for (const status of ORDER_STATUSES as readonly OrderStatus[]) {
      for (const state of [null, ...FULFILMENT_STATES]) {
        const { label, tone } = orderStatus({ status, fulfilment: state ? { state } : null })
        assert.match(label, /^[\u4e00-\u9fa5]{2,4}$/, `${status}/${state}`)
        tones.add(tone)
      }
    }
    assert.deepEqual([...tones].sort(), ['closed', 'done', 'failed', 'paid', 'refunded', 'refunding', 'to-receive', 'to-ship', 'unpaid'])
  })
})
