import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StaffOrderView } from '../../cloud/payment/staffContracts'
import type { StaffApi, StaffOrderRow, StaffOrdersPage } from '../services/staff'
import { CloudError } from '../services/transport'
import { createStaffStore } from './staff'

const NO = '20261127090000abcdefABCDEF12'
const AT = '2026-11-27T01:00:00.000Z'

const view = (over: Partial<StaffOrderView> = {}): StaffOrderView => ({
  outTradeNo: NO,
  openid: 'shopper-1',
  status: 'SUCCESS',
  mode: 'cloudpay',
  items: [],
  totalFee: 1000,
  paidFee: 1000,
  refundReservedFee: 0,
  refundedFee: 0,
  refundable: 1000,
  transactionId: 't',
  paidAt: AT,
  createdAt: AT,
  address: null,
  note: null,
  fulfilment: { state: 'PENDING', carrier: null, trackingNo: null, shippedAt: null, receivedAt: null, autoReceived: false, noLogistics: null },
  refunds: [],
  afterSales: [],
  timeline: [],
  shippingUpload: null,
  ...over,
})

const row = (outTradeNo: string): StaffOrderRow => ({
  outTradeNo,
  status: 'SUCCESS',
  fulfilment: 'PENDING',
  totalFee: 1000,
  paidFee: 1000,
  refundedFee: 0,
  recipient: '李雷',
  mobile: '13800138000',
  createdAt: AT,
  afterSalePending: false,
  shippingUpload: null,
})
const pageOf = (ids: string[], nextCursor: string | null = null): StaffOrdersPage => ({
  items: ids.map(row),
  nextCursor,
  totals: { orders: ids.length, paidFee: 1000 * ids.length, refundedFee: 0, capped: false },
})

/** An api whose every method fails unless a test gives it an answer. */
function fakeApi(over: Partial<StaffApi>): StaffApi {
  const never = () => Promise.reject(new Error('not expected'))
  return { orders: never, order: never, ship: never, refund: never, decideAfterSale: never, ...over }
}

const ids = () => {
  let n = 0
  return () => `request-${++n}`
}

test('a retry of a ship whose answer was lost reuses its request id; a definite refusal starts a new one', async () => {
  const seen: string[] = []
  const answers: Array<() => Promise<StaffOrderView>> = [
    () => Promise.reject(new CloudError('TRANSPORT_ERROR', 'net')),
    () => Promise.reject(new CloudError('INTERNAL', '服务暂时不可用')),
    () => Promise.resolve(view({ fulfilment: { ...view().fulfilment!, state: 'SHIPPED' } })),
    () => Promise.reject(new CloudError('ORDER_STATE_CONFLICT', '订单已发货')),
    () => Promise.reject(new CloudError('TRANSPORT_ERROR', 'net')),
  ]
  const store = createStaffStore({
    api: fakeApi({
      ship: (input) => {
        seen.push(input.requestId)
        return answers.shift()!()
      },
    }),
    newRequestId: ids(),
  })
  const ship = () => store.getState().ship(NO, { carrier: 'SF', trackingNo: 'SF1' })
  assert.equal(await ship(), false)
  assert.equal(store.getState().acting[NO]?.error?.message, '网络不给力，请稍后重试')
  // Even with other details typed in, the unresolved request is the one retried.
  assert.equal(await store.getState().ship(NO, { carrier: 'ZTO', trackingNo: 'ZT1' }), false)
  assert.equal(await ship(), true)
  assert.equal(store.getState().byId[NO]?.fulfilment?.state, 'SHIPPED')
  assert.equal(store.getState().acting[NO]?.error, null)
  assert.equal(await ship(), false)
  assert.equal(store.getState().acting[NO]?.error?.message, '订单已发货')
  assert.equal(await ship(), false)
  assert.deepEqual(seen, ['request-1', 'request-1', 'request-1', 'request-2', 'request-3'])
})

test('refunds and after-sale decisions keep their own request ids; one action per order at a time', async () => {
  const seen: string[] = []
  let release: () => void = () => undefined
  const store = createStaffStore({
    api: fakeApi({
      refund: async (input) => {
        seen.push(`refund ${input.requestId} ${input.refundFee ?? 'all'}`)
        await new Promise<void>((r) => (release = r))
        throw new CloudError('PAY_GATEWAY_ERROR', '微信支付暂时不可用')
      },
      decideAfterSale: async (input) => {
        seen.push(`${input.afterSaleId} ${input.decision} ${input.requestId}`)
        return view({ afterSales: [{ id: input.afterSaleId, reason: 'r', state: 'REJECTED', createdAt: AT, decidedAt: AT, reply: 'no' }] })
      },
    }),
    newRequestId: ids(),
  })
  const first = store.getState().refund(NO, { reason: '缺货', refundFee: 100 })
  assert.equal(store.getState().acting[NO]?.busy, 'refund')
  assert.equal(await store.getState().decideAfterSale(NO, { afterSaleId: 'as-1', decision: 'reject', reply: 'no' }), false, 'busy: not sent')
  release()
  assert.equal(await first, false)
  const again = store.getState().refund(NO, { reason: '缺货', refundFee: 100 })
  release()
  await again
  assert.equal(await store.getState().decideAfterSale(NO, { afterSaleId: 'as-1', decision: 'reject', reply: 'no' }), true)
  assert.equal(await store.getState().decideAfterSale(NO, { afterSaleId: 'as-2', decision: 'reject', reply: 'no' }), true)
  assert.deepEqual(seen, ['refund request-1 100', 'refund request-1 100', 'as-1 reject request-2', 'as-2 reject request-3'])
})

test('the list: filters sent as asked, pages appended, an older filter’s late answer dropped, totals kept', async () => {
  const queries: unknown[] = []
  const pending: Array<(page: StaffOrdersPage) => void> = []
  const store = createStaffStore({
    api: fakeApi({
      orders: (query) => {
        queries.push(query)
        return new Promise((resolve) => pending.push(resolve))
      },
    }),
  })
  const old = store.getState().search({ status: 'SUCCESS' })
  const current = store.getState().search({ search: ' 13800138000 ', fulfilment: 'PENDING', from: AT })
  pending[1]!(pageOf(['b', 'c'], 'c'))
  await current
  pending[0]!(pageOf(['a']))
  await old
  assert.deepEqual(
    store.getState().list.rows.map((r) => r.outTradeNo),
    ['b', 'c'],
  )
  assert.equal(store.getState().access, 'staff')
  const more = store.getState().loadMore()
  pending[2]!(pageOf(['c', 'd']))
  await more
  assert.deepEqual(
    store.getState().list.rows.map((r) => r.outTradeNo),
    ['b', 'c', 'd'],
  )
  assert.equal(store.getState().list.nextCursor, null)
  assert.deepEqual(queries, [
    { limit: 20, status: 'SUCCESS' },
    { limit: 20, fulfilment: 'PENDING', from: AT, search: '13800138000' },
    { limit: 20, fulfilment: 'PENDING', from: AT, search: '13800138000', cursor: 'c' },
  ])
})

test('FORBIDDEN from any call marks the console forbidden; other errors are kept for the page', async () => {
  const forbidden = createStaffStore({ api: fakeApi({ orders: () => Promise.reject(new CloudError('FORBIDDEN', '仅商家工作人员可以操作')) }) })
  await forbidden.getState().search({})
  assert.equal(forbidden.getState().access, 'forbidden')
  assert.equal(forbidden.getState().list.status, 'error')

  const down = createStaffStore({
    api: fakeApi({
      orders: () => Promise.reject(new CloudError('TRANSPORT_ERROR', 'x')),
      order: () => Promise.reject(new CloudError('ORDER_NOT_FOUND', '订单不存在')),
    }),
  })
  await down.getState().search({})
  await down.getState().loadOrder(NO)
  assert.equal(down.getState().access, 'unknown')
  assert.deepEqual(down.getState().list.error, { code: 'TRANSPORT_ERROR', message: '网络不给力，请稍后重试' })
  assert.deepEqual(down.getState().detail[NO], { status: 'error', error: { code: 'ORDER_NOT_FOUND', message: '订单不存在' } })
})

test('an action’s answer updates the list row it was taken from', async () => {
  const shipped = view({
    fulfilment: { ...view().fulfilment!, state: 'SHIPPED' },
    refundedFee: 300,
    shippingUpload: { state: 'UPLOADED', attempts: 1, lastError: null, uploadedAt: AT, note: '' },
  })
  const store = createStaffStore({ api: fakeApi({ orders: () => Promise.resolve(pageOf([NO, 'other'])), ship: () => Promise.resolve(shipped) }) })
  await store.getState().search({})
  assert.equal(await store.getState().ship(NO, { noLogistics: 'PICKUP' }), true)
  const [mine, other] = store.getState().list.rows
  assert.deepEqual([mine?.fulfilment, mine?.refundedFee, mine?.shippingUpload], ['SHIPPED', 300, 'UPLOADED'])
  assert.deepEqual(other, row('other'))
})
