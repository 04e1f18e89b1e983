// Shipping information (发货信息录入) on the local cloud through the real wx-server-sdk: staff
// shipping a paid order uploads it to WeChat once — a busy or silent platform leaves it pending
// for the reconcile timer, and neither retries nor 20 concurrent repeats upload it twice.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ReconcileData } from '../payment/contracts'
import type { StaffOrderView } from '../payment/staffContracts'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { SHIPPING } from '../local/openapi/shippingDesk'
import { call, cloudPayEnv, data, DELIVERY_ADDRESS, simPay, storedOrder } from '../local/testing/shop'

const STAFF = 'staff-1'
let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
})
after(() => cloud.stop())

const staff = (event: Record<string, unknown>) => call<StaffOrderView>(cloud, 'staff', event, STAFF)
const reconcile = async () => data(await call<ReconcileData>(cloud, 'reconcile', { olderThanSeconds: 60 }, STAFF))
const records = (outTradeNo: string) => cloud.engine.find(SHIPPING, { outTradeNo }, { limit: 100 })
const upload = (outTradeNo: string) => storedOrder(cloud, outTradeNo)?.['shippingUpload'] as Record<string, unknown> | undefined

async function paidOrder(shopper: string): Promise<string> {
  const made = data(
    await call<{ outTradeNo: string }>(cloud, 'createOrder', { items: [{ goodsId: 'goods-coffee', quantity: 2 }], address: DELIVERY_ADDRESS }, shopper),
  )
  assert.equal((await simPay(cloud, made.outTradeNo)).body.firstAttempt?.acknowledged, true)
  return made.outTradeNo
}

const shipEvent = (outTradeNo: string, requestId: string) => ({
  action: 'ship',
  outTradeNo,
  requestId,
  carrier: 'SF',
  trackingNo: `SF${outTradeNo.slice(-10)}`,
})

describe('staff ship → WeChat shipping information', () => {
  test('a paid order shipped by staff: exactly one upload, with the order’s facts; the order says UPLOADED', async () => {
    const no = await paidOrder('amy-1')
    const view = data(await staff(shipEvent(no, 'upl-ship-0001')))
    assert.equal(view.fulfilment?.state, 'SHIPPED')
    assert.equal(view.shippingUpload?.state, 'UPLOADED')
    const order = storedOrder(cloud, no)
    const items = order?.['items'] as Array<{ name: string; quantity: number }>
    const found = records(no)
    assert.equal(found.length, 1)
    const record = found[0] as Record<string, unknown>
    assert.equal(record['transactionId'], order?.['transactionId'])
    assert.equal(record['openid'], 'amy-1')
    const uploads = record['uploads'] as Array<Record<string, unknown>>
    assert.equal(uploads.length, 1)
    assert.equal(uploads[0]?.['logisticsType'], 1)
    assert.equal(uploads[0]?.['payerOpenid'], 'amy-1')
    assert.deepEqual(uploads[0]?.['shippingList'], [
      { trackingNo: `SF${no.slice(-10)}`, expressCompany: 'SF', itemDesc: `${items[0]?.name}*2`, receiverContact: '138****8000' },
    ])
    assert.equal(upload(no)?.['state'], 'UPLOADED')
    assert.equal(upload(no)?.['attempts'], 1)
    // The same request again answers the same and uploads nothing more.
    assert.equal(data(await staff(shipEvent(no, 'upl-ship-0001'))).shippingUpload?.state, 'UPLOADED')
    assert.equal((records(no)[0]?.['uploads'] as unknown[]).length, 1)
  })

  for (const fault of [{ fault: 'systemerror' }, { fault: 'timeout', holdMs: 50 }] as const) {
    test(`${fault.fault} on the upload: the ship answers ok with the upload pending; reconcile uploads it once`, async () => {
      const no = await paidOrder('bea-1')
      cloud.openapi.faults.add({ ...fault, api: 'wxa.sec.order.uploadShippingInfo', times: 1 })
      const view = data(await staff(shipEvent(no, `upl-${fault.fault}`)))
      assert.equal(view.fulfilment?.state, 'SHIPPED')
      assert.equal(view.shippingUpload?.state, 'PENDING')
      assert.equal(view.shippingUpload?.note, '发货信息暂未同步到微信，系统将自动重试')
      assert.equal(records(no).length, 0)
      assert.equal(upload(no)?.['state'], 'PENDING')
      const result = await reconcile()
      assert.ok(result.shippingUploads.includes(no), JSON.stringify(result))
      assert.equal(upload(no)?.['state'], 'UPLOADED')
      assert.equal(upload(no)?.['attempts'], 2)
      assert.equal(upload(no)?.['claimedAt'], undefined)
      assert.equal(records(no).length, 1)
      assert.equal((records(no)[0]?.['uploads'] as unknown[]).length, 1)
      // Another run changes nothing.
      assert.ok(!(await reconcile()).shippingUploads.includes(no))
      assert.equal((records(no)[0]?.['uploads'] as unknown[]).length, 1)
    })
  }

  test('20 concurrent repeats of the ship: one shipment, one upload', async () => {
    const no = await paidOrder('cid-1')
    const answers = await Promise.all(Array.from({ length: 20 }, () => staff(shipEvent(no, 'upl-ship-0020'))))
    assert.ok(answers.every((a) => a.ok && a.data.fulfilment?.state === 'SHIPPED'))
    assert.equal(records(no).length, 1)
    assert.equal((records(no)[0]?.['uploads'] as unknown[]).length, 1)
    assert.equal(upload(no)?.['state'], 'UPLOADED')
    await reconcile()
    assert.equal((records(no)[0]?.['uploads'] as unknown[]).length, 1)
  })
})
