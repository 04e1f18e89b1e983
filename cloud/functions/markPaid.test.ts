// The update that pays an order, through the real repository and wx-server-sdk on the local
// cloud. payNotify reads nothing before it: its filter is the payment's only check when it
// matches, so a filter that forgot the amount, the merchant or the status would pay here.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { orderRepository } from '../payment/adapters/orderRepository'
import type { SdkDatabase } from '../payment/adapters/sdkTypes'
import { fen } from '../payment/core/money'
import type { PaidFacts } from '../payment/core/payment'
import type { OrderStatus } from '../payment/core/orderState'
import type { OrderRepository } from '../payment/ports'
import { databaseFor, startTestCloud, type TestCloud } from '../local/testing/harness'

const MCH = '1900000109'
let cloud: TestCloud
let orders: OrderRepository
let serial = 0

before(async () => {
  cloud = await startTestCloud()
  orders = orderRepository(databaseFor(cloud.url) as SdkDatabase)
})
after(() => cloud.stop())

async function storedOrder(status: OrderStatus): Promise<string> {
  const outTradeNo = `20261128000000paid${String(++serial).padStart(10, '0')}`
  await cloud.engine.insert('orders', [
    {
      _id: outTradeNo,
      outTradeNo,
      _openid: 'payer',
      items: [],
      totalFee: 500,
      status,
      mode: 'cloudpay',
      mchId: MCH,
      refundReservedFee: 0,
      refundedFee: 0,
      refundsPending: 0,
      refunds: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
      expireAt: new Date(0),
    },
  ]).written
  return outTradeNo
}

const stored = (outTradeNo: string): Record<string, unknown> | undefined => cloud.engine.getById('orders', outTradeNo)?.doc
const paid = (outTradeNo: string, change: Partial<PaidFacts> = {}): PaidFacts => ({
  outTradeNo,
  transactionId: 'wx-t1',
  totalFee: fen(500),
  mchId: MCH,
  timeEnd: '20261128100500',
  ...change,
})

describe('markPaid through the real repository', () => {
  for (const from of ['NOTPAY', 'PAYERROR'] as const) {
    test(`${from} → SUCCESS with the transaction and its time, starting the fulfilment, once of five at once`, async () => {
      const outTradeNo = await storedOrder(from)
      const results = await Promise.all(Array.from({ length: 5 }, () => orders.markPaid(outTradeNo, from, paid(outTradeNo))))
      assert.equal(results.filter(Boolean).length, 1, String(results))
      const after = stored(outTradeNo)
      assert.equal(after?.['status'], 'SUCCESS')
      assert.equal(after?.['tradeState'], 'SUCCESS')
      assert.equal(after?.['transactionId'], 'wx-t1')
      assert.equal(after?.['timeEnd'], '20261128100500')
      assert.deepEqual(after?.['fulfilment'], { state: 'PENDING' })
    })
  }

  const refused: Array<[string, OrderStatus, OrderStatus, Partial<PaidFacts>]> = [
    ['another amount', 'NOTPAY', 'NOTPAY', { totalFee: fen(499) }],
    ['a larger amount', 'NOTPAY', 'NOTPAY', { totalFee: fen(501) }],
    ['another merchant', 'NOTPAY', 'NOTPAY', { mchId: '1900000108' }],
    ['another status than stored', 'PAYERROR', 'NOTPAY', {}],
    ['a CLOSED order', 'CLOSED', 'CLOSED', {}],
    ['a paid order', 'SUCCESS', 'SUCCESS', { transactionId: 'wx-t2' }],
  ]
  for (const [what, status, from, change] of refused) {
    test(`${what}: nothing changes`, async () => {
      const outTradeNo = await storedOrder(status)
      const before = stored(outTradeNo)
      assert.equal(await orders.markPaid(outTradeNo, from, paid(outTradeNo, change)), false)
      assert.deepEqual(stored(outTradeNo), before)
    })
  }

  test('an unknown order: nothing is written', async () => {
    assert.equal(await orders.markPaid('20261128000000paidunknown000', 'NOTPAY', paid('20261128000000paidunknown000')), false)
    assert.equal(stored('20261128000000paidunknown000'), undefined)
  })
})
