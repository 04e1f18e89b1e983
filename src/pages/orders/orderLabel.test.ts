import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OrderView } from '../../../cloud/payment/contracts'
import { amountLabel, badgeInput, isExpiredUnpaid, kindsOf, paidFor, shopperStatus } from './orderLabel'

const payment: OrderView['payment'] = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 's' }
const order = (over: Partial<OrderView>): OrderView => ({
  outTradeNo: '1',
  items: [],
  totalFee: 100,
  status: 'NOTPAY',
  tradeStateDesc: '',
  transactionId: null,
  paidAt: null,
  createdAt: '',
  expireAt: '',
  payment,
  refundedFee: 0,
  refunds: [],
  address: null,
  note: null,
  fulfilment: null,
  afterSales: [],
  actions: { pay: true, cancel: true, refund: false, afterSale: false, confirmReceipt: false },
  ...over,
})

test('an unpaid order that can no longer be paid reads 已取消, not 待付款 or 支付失败', () => {
  assert.equal(shopperStatus(order({})).label, '待付款')
  assert.equal(shopperStatus(order({ status: 'PAYERROR' })).label, '支付失败')
  assert.equal(shopperStatus(order({ payment: null })).label, '已取消')
  assert.equal(shopperStatus(order({ status: 'PAYERROR', payment: null })).tone, 'closed')
  assert.equal(isExpiredUnpaid(order({ payment: null })), true)
  assert.equal(isExpiredUnpaid(order({ status: 'CLOSED', payment: null })), false)
  const paid = order({
    status: 'SUCCESS',
    payment: null,
    fulfilment: { state: 'SHIPPED', carrier: null, trackingNo: null, shippedAt: null, receivedAt: null, autoReceived: false },
  })
  assert.equal(badgeInput(paid), paid, 'paid orders go to the shared label as they are')
  assert.equal(shopperStatus(paid).label, '待收货')
})

test('实付 only for orders money was taken for, 应付 while it can be paid, 合计 when nothing is due', () => {
  assert.deepEqual(
    (['NOTPAY', 'PAYERROR', 'CLOSED', 'SUCCESS', 'REFUND'] as const).map((status) => paidFor({ status })),
    [false, false, false, true, true],
  )
  assert.equal(amountLabel({ status: 'NOTPAY', payment }), '应付')
  assert.equal(amountLabel({ status: 'NOTPAY', payment: null }), '合计')
  assert.equal(amountLabel({ status: 'CLOSED', payment: null }), '合计')
  assert.equal(amountLabel({ status: 'REFUND', payment: null }), '实付')
})

test('kinds of goods, not pieces', () => {
  const item = (goodsId: string, quantity: number) => ({ goodsId, name: goodsId, priceFen: 1, quantity, pic: '' })
  assert.equal(kindsOf({ items: [item('a', 5), item('b', 1)] }), 2)
  assert.equal(kindsOf({ items: [item('a', 3)] }), 1)
})
