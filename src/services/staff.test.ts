import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createStaffApi } from './staff'
import { CloudError } from './transport'

const NO = '20261127090000abcdefABCDEF12'
const AT = '2026-11-27T01:00:00.000Z'

const staffOrder = {
  outTradeNo: NO,
  openid: 'shopper-1',
  status: 'SUCCESS',
  mode: 'cloudpay',
  items: [{ goodsId: 'goods-coffee', name: '咖啡', priceFen: 6800, quantity: 2, pic: '/p.png' }],
  totalFee: 13600,
  paidFee: 13600,
  refundReservedFee: 1000,
  refundedFee: 1000,
  refundable: 12600,
  transactionId: '4200000000001',
  paidAt: AT,
  createdAt: AT,
  address: { recipient: '李雷', mobile: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' },
  note: '放门口',
  fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1234', shippedAt: AT, receivedAt: null, autoReceived: false, noLogistics: null },
  refunds: [{ outRefundNo: 'Sabcdefgh', refundFee: 1000, status: 'SUCCESS', createdAt: AT, settledAt: AT, requestedBy: 'staff-1', reason: '缺货', failure: null }],
  afterSales: [{ id: 'as-1', reason: '破损', state: 'PENDING', createdAt: AT, decidedAt: null, reply: null }],
  timeline: [{ at: AT, source: 'order', kind: 'created', detail: '13600 fen' }],
  shippingUpload: { state: 'UPLOADED', attempts: 1, lastError: null, uploadedAt: AT, note: '发货信息已同步到微信' },
}

const row = {
  outTradeNo: NO,
  status: 'SUCCESS',
  fulfilment: 'PENDING',
  totalFee: 13600,
  paidFee: 13600,
  refundedFee: 0,
  recipient: '李雷',
  mobile: '13800138000',
  createdAt: AT,
  afterSalePending: false,
}
const page = { items: [row], nextCursor: null, totals: { orders: 1, paidFee: 13600, refundedFee: 0, capped: false } }

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof CloudError)
    return error.code
  }
  return 'resolved'
}

test('every action calls `staff` with its typed event', async () => {
  const calls: Array<[string, Record<string, unknown>]> = []
  const api = createStaffApi(async (name, data) => {
    calls.push([name, data])
    return data['action'] === 'orders' ? page : staffOrder
  })
  await api.orders({ search: '13800138000', status: 'SUCCESS', limit: 20 })
  await api.order(NO)
  await api.ship({ outTradeNo: NO, requestId: 'req-00001', carrier: 'SF', trackingNo: 'SF1' })
  await api.ship({ outTradeNo: NO, requestId: 'req-00002', noLogistics: 'PICKUP' })
  await api.refund({ outTradeNo: NO, requestId: 'req-00003', reason: '缺货', refundFee: 100 })
  await api.decideAfterSale({ outTradeNo: NO, requestId: 'req-00004', afterSaleId: 'as-1', decision: 'reject', reply: '不支持' })
  assert.deepEqual(calls, [
    ['staff', { action: 'orders', search: '13800138000', status: 'SUCCESS', limit: 20 }],
    ['staff', { action: 'order', outTradeNo: NO }],
    ['staff', { action: 'ship', outTradeNo: NO, requestId: 'req-00001', carrier: 'SF', trackingNo: 'SF1' }],
    ['staff', { action: 'ship', outTradeNo: NO, requestId: 'req-00002', noLogistics: 'PICKUP' }],
    ['staff', { action: 'refund', outTradeNo: NO, requestId: 'req-00003', reason: '缺货', refundFee: 100 }],
    ['staff', { action: 'afterSale', outTradeNo: NO, requestId: 'req-00004', afterSaleId: 'as-1', decision: 'reject', reply: '不支持' }],
  ])
})

test('a well-formed order and page pass as they are', async () => {
  const api = (data: unknown) => createStaffApi(async () => data)
  assert.deepEqual(await api(staffOrder).order(NO), staffOrder)
  assert.deepEqual(await api(page).orders(), { ...page, items: [{ ...row, shippingUpload: null }] })
  // An upload state on a row, bare or as a view, is kept; before shipping there is no upload.
  const withUpload = { ...page, items: [{ ...row, shippingUpload: 'FAILED' }, { ...row, outTradeNo: `${NO.slice(0, -1)}3`, shippingUpload: { state: 'PENDING' } }] }
  assert.deepEqual(
    (await api(withUpload).orders()).items.map((r) => r.shippingUpload),
    ['FAILED', 'PENDING'],
  )
  const { shippingUpload: _upload, ...beforeShipping } = staffOrder
  assert.equal((await api({ ...beforeShipping, fulfilment: { ...staffOrder.fulfilment, state: 'PENDING' } }).order(NO)).shippingUpload, null)
})

test('junk is BAD_RESPONSE, never a half-read order', async () => {
  const api = (data: unknown) => createStaffApi(async () => data)
  for (const broken of [
    null,
    'ok',
    { ...staffOrder, paidFee: 1.5 },
    { ...staffOrder, refundable: -1 },
    { ...staffOrder, status: 'PAID' },
    { ...staffOrder, openid: undefined },
    { ...staffOrder, timeline: [{ at: AT, source: 'elsewhere', kind: 'x', detail: '' }] },
    { ...staffOrder, timeline: undefined },
    { ...staffOrder, items: [{ goodsId: 'x' }] },
    { ...staffOrder, address: { recipient: '李雷' } },
    { ...staffOrder, fulfilment: { ...staffOrder.fulfilment, noLogistics: 'DRONE' } },
    { ...staffOrder, refunds: [{ ...staffOrder.refunds[0], reason: 12 }] },
    { ...staffOrder, shippingUpload: { state: 'SENT', attempts: 1, note: '' } },
    { ...staffOrder, afterSales: [{ id: 'as-1', state: 'PENDING' }] },
  ])
    assert.equal(await refused(api(broken).order(NO)), 'BAD_RESPONSE', JSON.stringify(broken)?.slice(0, 80))
  for (const broken of [
    { items: [row] },
    { ...page, totals: { ...page.totals, capped: 'no' } },
    { ...page, items: [{ ...row, status: 'PAID' }] },
    { ...page, items: [{ ...row, fulfilment: 'LOST' }] },
    { ...page, items: [{ ...row, paidFee: '1' }] },
    { ...page, nextCursor: 5 },
  ])
    assert.equal(await refused(api(broken).orders()), 'BAD_RESPONSE', JSON.stringify(broken).slice(0, 80))
})
