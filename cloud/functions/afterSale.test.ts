// After-sale requests through orderAction on the local cloud: filed once per requestId on a
// shipped or received order, one pending at a time; bad input names the field and writes
// nothing; only the shopper's own order.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { OrderView } from '../payment/contracts'
import { assertShopperWords } from '../payment/testing/shopperWords'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { shipOrder } from '../local/testing/fulfilment'
import { call, cloudPayEnv, data, placeOrder, simPay, storedOrder, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
})
after(() => cloud.stop())

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)
const message = (r: Result<unknown>): string => (r.ok ? '' : r.error.message)

async function shippedOrder(shopper: string): Promise<string> {
  const { outTradeNo } = await placeOrder(cloud, shopper, [{ goodsId: 'goods-tote', quantity: 1 }])
  assert.equal((await simPay(cloud, outTradeNo)).body.firstAttempt?.acknowledged, true)
  await shipOrder(cloud, outTradeNo, { carrier: '顺丰速运', trackingNo: `SF-${outTradeNo.slice(-6)}` })
  return outTradeNo
}

const file = (outTradeNo: string, shopper: string, fields: Record<string, unknown> = {}) =>
  call<OrderView>(cloud, 'orderAction', { action: 'afterSale', outTradeNo, reason: '包的肩带断了', requestId: 'as-req-000001', ...fields }, shopper)

test('a request is filed PENDING on a shipped order, stored with its marks, and shown oldest first', async () => {
  const outTradeNo = await shippedOrder('amy-1')
  const before = Date.now()
  const filed = data(await file(outTradeNo, 'amy-1', { reason: '  包的肩带断了 ' }))
  assert.equal(filed.afterSales.length, 1)
  const [request] = filed.afterSales
  assert.deepEqual(
    { ...request, createdAt: undefined },
    { id: 'as-req-000001', reason: '包的肩带断了', state: 'PENDING', createdAt: undefined, decidedAt: null, reply: null },
  )
  assert.ok(Date.parse(request?.createdAt ?? '') >= before - 1000)
  assert.equal(filed.actions.afterSale, false, 'one pending at a time')
  assert.equal(filed.actions.confirmReceipt, true)
  const stored = storedOrder(cloud, outTradeNo)
  assert.equal(stored?.['afterSalePending'], true)
  assert.equal(stored?.['inAfterSale'], true)
  assert.equal((stored?.['afterSales'] as Record<string, { reason: string }>)['as-req-000001']?.reason, '包的肩带断了')
})

test('retries with the same requestId — one after another or at once — file nothing new; another reason under it is refused', async () => {
  const outTradeNo = await shippedOrder('bea-1')
  const results = await Promise.all(Array.from({ length: 6 }, () => file(outTradeNo, 'bea-1')))
  for (const result of results) assert.equal(data(result).afterSales.length, 1)
  const again = data(await file(outTradeNo, 'bea-1'))
  assert.deepEqual(again.afterSales, data(results[0]!).afterSales)
  const reused = await file(outTradeNo, 'bea-1', { reason: '不想要了' })
  assert.equal(code(reused), 'INVALID_ARGUMENT')
  assert.equal(message(reused), '售后申请内容已变化，请重新提交')
  assert.equal(Object.keys(storedOrder(cloud, outTradeNo)?.['afterSales'] as object).length, 1)
})

test('a second request while one is pending is refused in the shopper’s words', async () => {
  const outTradeNo = await shippedOrder('cai-1')
  data(await file(outTradeNo, 'cai-1'))
  const second = await file(outTradeNo, 'cai-1', { requestId: 'as-req-000002', reason: '还有一处开线' })
  assert.equal(code(second), 'ORDER_STATE_CONFLICT')
  assert.equal(message(second), '已有售后申请正在处理，请耐心等待商家回复')
})

test('on a received order too; not on an unshipped, unpaid or fully refunded one', async () => {
  const received = await shippedOrder('dai-1')
  data(await call(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo: received }, 'dai-1'))
  assert.equal(data(await file(received, 'dai-1')).afterSales.length, 1)

  const unpaid = (await placeOrder(cloud, 'dai-1')).outTradeNo
  const paid = (await placeOrder(cloud, 'dai-1')).outTradeNo
  await simPay(cloud, paid)
  for (const outTradeNo of [unpaid, paid]) {
    const refused = await file(outTradeNo, 'dai-1')
    assert.equal(code(refused), 'ORDER_STATE_CONFLICT')
    assert.equal(message(refused), '订单发货后才能申请售后；未发货的订单可以直接取消')
  }
  const refundedInFull = await shippedOrder('dai-1')
  const fee = storedOrder(cloud, refundedInFull)?.['totalFee']
  data(await call(cloud, 'refundOrder', { outTradeNo: refundedInFull, refundFee: fee, outRefundNo: 'RF-dai-full' }, STAFF))
  const refused = await file(refundedInFull, 'dai-1')
  assert.equal(code(refused), 'ORDER_STATE_CONFLICT')
  assert.equal(message(refused), '订单已全额退款，无需申请售后')
})

test('bad input is INVALID_ARGUMENT naming the field in the shopper’s words, and writes nothing', async () => {
  const outTradeNo = await shippedOrder('eli-1')
  const before = storedOrder(cloud, outTradeNo)
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ reason: '' }, '请填写售后原因'],
    [{ reason: '   ' }, '请填写售后原因'],
    [{ reason: undefined }, '请填写售后原因'],
    [{ reason: '坏'.repeat(201) }, '售后原因最多 200 个字'],
    [{ reason: '肩带断了\n请处理' }, '售后原因不能换行或包含特殊字符'],
    [{ reason: '肩带\u0000断了' }, '售后原因不能换行或包含特殊字符'],
    [{ reason: { $ne: '' } }, '售后原因格式不正确'],
    [{ requestId: 'short' }, '请求参数有误，请刷新后重试'],
    [{ requestId: { $gt: '' } }, '请求参数有误，请刷新后重试'],
    [{ outTradeNo: 'bad order!' }, '订单号有误'],
    [{ action: 'refundEverything' }, '请求参数有误，请刷新后重试'],
  ]
  for (const [fields, words] of cases) {
    const result = await file(outTradeNo, 'eli-1', fields)
    assert.equal(code(result), 'INVALID_ARGUMENT', JSON.stringify(fields))
    assert.equal(message(result), words)
    assertShopperWords(message(result))
  }
  assert.deepEqual(storedOrder(cloud, outTradeNo), before)
  assert.equal(data(await file(outTradeNo, 'eli-1', { reason: '坏'.repeat(200) })).afterSales[0]?.reason, '坏'.repeat(200))
})

test('another shopper can neither file on the order nor see its requests', async () => {
  const outTradeNo = await shippedOrder('fay-1')
  data(await file(outTradeNo, 'fay-1'))
  const before = storedOrder(cloud, outTradeNo)
  assert.equal(code(await file(outTradeNo, 'fay-2', { requestId: 'as-req-intruder' })), 'ORDER_NOT_FOUND')
  assert.equal(code(await call(cloud, 'queryOrder', { outTradeNo }, 'fay-2')), 'ORDER_NOT_FOUND')
  assert.deepEqual(data(await call<{ items: OrderView[] }>(cloud, 'queryOrder', { tab: 'AFTER_SALE' }, 'fay-2')).items, [])
  assert.deepEqual(storedOrder(cloud, outTradeNo), before)
})
