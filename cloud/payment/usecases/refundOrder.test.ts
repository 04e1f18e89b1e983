import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AppError } from '../errors'
import type { OrderRecord, OrderRepository, PayGateway } from '../ports'
import { ScriptedShipping } from '../testing/memory'
import { refundOrder } from './refundOrder'

test('a configuration that cannot refund is found before anything is reserved', async () => {
  const order = {
    outTradeNo: '20261127000000abcdefabcdefab',
    mode: 'merchant',
    status: 'SUCCESS',
    totalFee: 100,
    refundReservedFee: 0,
    refunds: {},
  } as unknown as OrderRecord
  let reserved = 0
  const orders = { get: async () => order, reserveRefund: async () => (reserved++, true) } as unknown as OrderRepository
  const gateway = {
    mode: 'merchant',
    mchId: '1900000110',
    assertCanRefund: () => {
      throw new AppError('CONFIG_ERROR', '退款需要微信支付 API 证书：请设置 WXPAY_CERT_P12_BASE64')
    },
  } as unknown as PayGateway
  const deps = {
    orders,
    gateway,
    events: { record: async () => undefined },
    clock: { now: () => 0 },
    shipping: new ScriptedShipping(),
    admins: new Set(['staff-1']),
    randomBytes: (n: number) => new Uint8Array(n),
  }
  await assert.rejects(
    refundOrder(deps, 'staff-1', { outTradeNo: order.outTradeNo, refundFee: 100 }),
    (error: unknown) => error instanceof AppError && error.code === 'CONFIG_ERROR' && /WXPAY_CERT_P12_BASE64/.test(error.message),
  )
  assert.equal(reserved, 0)
})
