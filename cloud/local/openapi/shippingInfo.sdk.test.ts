// 发货信息录入 through the real wx-server-sdk (`cloud.openapi.wxa.sec.order.uploadShippingInfo`)
// against the local cloud: its protobuf wire format, the platform's checks and error codes,
// the re-shipping chance, injected faults, and the confirm-receipt push to a function.
import assert from 'node:assert/strict'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { buildShippingRequest, classifyShippingAnswer, uploadShippingInfo, type ShipmentInput, type ShippingOpenApi } from '../../payment/adapters/shippingInfo'
import { sdkFor, startTestCloud, tempDir, type TestCloud } from '../testing/harness'
import { SHIPPING } from './shippingDesk'

const SUB_MCH_ID = '1900000109'
const SHOPPER = 'o-shopper-1'
const SDK = JSON.stringify(require.resolve('wx-server-sdk'))

/** Function folders for this test: one allowed to make the cloud call, one not, one receiving pushes. */
function writeFunctions(dir: string): void {
  const write = (name: string, index: string, config?: unknown) => {
    mkdirSync(path.join(dir, name))
    writeFileSync(path.join(dir, name, 'index.js'), index)
    if (config) writeFileSync(path.join(dir, name, 'config.json'), JSON.stringify(config))
  }
  const caller = `const cloud = require(${SDK})
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
exports.main = async (event) => {
  try {
    return { answer: await cloud.openapi.wxa.sec.order.uploadShippingInfo(event.request) }
  } catch (e) {
    return { error: { errCode: e.errCode, errMsg: e.errMsg } }
  }
}
`
  write('shipper', caller, { permissions: { openapi: ['wxa.sec.order.uploadShippingInfo'] } })
  write('noperm', caller)
  write(
    'receipts',
    `const cloud = require(${SDK})
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
exports.main = async (event) => ({ errcode: 0, event, context: cloud.getWXContext() })
`,
  )
}

describe('uploadShippingInfo through the real SDK', () => {
  const functions = tempDir('openapi-functions')
  let cloud: TestCloud
  let openapi: ShippingOpenApi
  let seq = 0
  let restartedDataDir: string | undefined

  before(async () => {
    writeFunctions(functions.dir)
    cloud = await startTestCloud({ functionsDir: functions.dir })
    const sdk = sdkFor(cloud.url, { openid: SHOPPER })
    actAsShipper()
    openapi = (sdk as unknown as { openapi: ShippingOpenApi }).openapi
  })

  /**
   * This test process acts as an invocation of `shipper` (the cloud takes cloud calls only from
   * functions): the SDK reads WX_API_TOKEN only when WX_CONTEXT_KEYS names it.
   */
  function actAsShipper(): void {
    process.env['WX_CONTEXT_KEYS'] = 'WX_OPENID,WX_APPID,WX_API_TOKEN'
    process.env['WX_API_TOKEN'] = cloud.runner.registerCaller('shipper', { source: 'wx_client', openid: SHOPPER }, 10 * 60_000)
  }

  after(async () => {
    delete process.env['WX_API_TOKEN']
    await cloud.stop()
    if (restartedDataDir) rmSync(restartedDataDir, { recursive: true, force: true })
    functions.remove()
  })

  /** A trade placed through cloudPay and, unless told otherwise, paid at the cashier. */
  async function trade(paid = true): Promise<{ outTradeNo: string; transactionId: string }> {
    const outTradeNo = `SHIP${Date.now()}${seq++}`
    const token = cloud.runner.registerCaller('receipts', { source: 'wx_client', openid: SHOPPER })
    await cloud.sim.cloudPayApi(
      'unifiedOrder',
      {
        function_name: 'receipts',
        env_id: 'test-env',
        sub_mch_id: SUB_MCH_ID,
        nonce_str: 'n0nce5tr',
        body: '测试商品',
        out_trade_no: outTradeNo,
        total_fee: 1990,
        spbill_create_ip: '127.0.0.1',
        trade_type: 'JSAPI',
      },
      token,
    )
    if (paid) await cloud.sim.simPay({ outTradeNo, result: 'SUCCESS' })
    const [doc] = cloud.engine.find('_sim_trades', { outTradeNo })
    return { outTradeNo, transactionId: typeof doc?.['transactionId'] === 'string' ? doc['transactionId'] : '' }
  }

  const input = (t: { transactionId: string }, overrides: Partial<ShipmentInput> = {}): ShipmentInput => ({
    order: { transactionId: t.transactionId },
    payerOpenid: SHOPPER,
    logistics: 'express',
    itemDesc: '测试商品*1',
    trackingNo: `YT${Date.now()}`,
    expressCompany: 'YTO',
    uploadedAt: new Date(),
    ...overrides,
  })

  const shipment = (t: { transactionId: string }) =>
    cloud.engine.getById(SHIPPING, cloud.engine.find('_sim_trades', { transactionId: t.transactionId })[0]?._id ?? '')

  /** The raw call, for requests the adapter would refuse to build. */
  async function raw(request: Record<string, unknown>): Promise<number> {
    try {
      await openapi.wxa.sec.order.uploadShippingInfo(request)
      return 0
    } catch (error) {
      return (error as { errCode: number }).errCode
    }
  }

  it('records a paid order’s shipment, by transaction id or by merchant and out_trade_no', async () => {
    const t = await trade()
    assert.deepEqual(await uploadShippingInfo(openapi, input(t)), { kind: 'ok' })
    const record = shipment(t)?.doc
    assert.equal(record?.['outTradeNo'], t.outTradeNo)
    assert.equal((record?.['uploads'] as unknown[]).length, 1)

    const u = await trade()
    assert.deepEqual(await uploadShippingInfo(openapi, input(u, { order: { mchId: SUB_MCH_ID, outTradeNo: u.outTradeNo }, logistics: 'pickup' })), {
      kind: 'ok',
    })
    assert.ok(shipment(u))
  })

  it('answers each refusal with its code and records nothing', async () => {
    const unpaid = await trade(false)
    const t = await trade()
    const cases: Array<[string, ShipmentInput, number]> = [
      ['unknown transaction', input({ transactionId: '4200000000209901010000000000' }), 10060001],
      ['unknown out_trade_no', input(t, { order: { mchId: SUB_MCH_ID, outTradeNo: 'NOPE_123456' } }), 10060001],
      ['another merchant', input(t, { order: { mchId: '1900000999', outTradeNo: t.outTradeNo } }), 10060001],
      ['unpaid', input(t, { order: { mchId: SUB_MCH_ID, outTradeNo: unpaid.outTradeNo } }), 10060001],
      ['another payer', input(t, { payerOpenid: 'o-someone-else' }), 10060031],
      ['unknown express company', input(t, { expressCompany: 'NOPE' }), 47001],
    ]
    for (const [name, shipmentInput, code] of cases) {
      const outcome = await uploadShippingInfo(openapi, shipmentInput)
      assert.ok(outcome.kind === 'permanent', name)
      assert.equal(outcome.code, code, name)
    }
    const good = buildShippingRequest(input(t))
    assert.ok('request' in good)
    const bad: Array<[string, Record<string, unknown>]> = [
      ['upload_time without a zone', { ...good.request, upload_time: '2026-01-02T11:04:05' }],
      ['upload_time as seconds', { ...good.request, upload_time: '1693564249' }],
      ['shipping_list as an object', { ...good.request, shipping_list: { item_desc: 'x' } }],
      ['SF without contact', { ...good.request, shipping_list: [{ item_desc: 'x', tracking_no: 'SF123', express_company: 'SF' }] }],
      [
        'unmasked contact',
        { ...good.request, shipping_list: [{ item_desc: 'x', tracking_no: 'SF123', express_company: 'SF', contact: { receiver_contact: '13800001234' } }] },
      ],
      ['logistics_type 5', { ...good.request, logistics_type: 5 }],
    ]
    for (const [name, request] of bad) assert.equal(await raw(request), 47001, name)
    assert.equal(shipment(t), undefined, 'nothing recorded for the paid order')
    assert.equal(shipment(unpaid), undefined)
    // The same request, well-formed, goes through: the refusals were about the fields.
    assert.equal(
      await raw({
        ...good.request,
        shipping_list: [{ item_desc: 'x', tracking_no: 'SF123', express_company: 'SF', contact: { receiver_contact: '138****1234' } }],
      }),
      0,
    )
  })

  it('refuses a fully refunded order as not shippable', async () => {
    const t = await trade()
    const token = cloud.runner.registerCaller('receipts', { source: 'wx_client' })
    const refund = {
      function_name: 'receipts',
      env_id: 'test-env',
      sub_mch_id: SUB_MCH_ID,
      nonce_str: 'n0nce5tr',
      out_trade_no: t.outTradeNo,
      out_refund_no: `R${t.outTradeNo}`,
      total_fee: 1990,
      refund_fee: 1990,
    }
    await cloud.sim.cloudPayApi('refund', refund, token)
    const outcome = await uploadShippingInfo(openapi, input(t))
    assert.ok(outcome.kind === 'permanent' && outcome.reason === 'not_shippable', JSON.stringify(outcome))
  })

  it('takes one re-shipment, then answers already uploaded (10060003)', async () => {
    const t = await trade()
    const first = new Date()
    assert.deepEqual(await uploadShippingInfo(openapi, input(t, { uploadedAt: first })), { kind: 'ok' })
    // A re-shipment must carry a later upload time.
    assert.equal((await uploadShippingInfo(openapi, input(t, { uploadedAt: first }))).kind, 'permanent')
    assert.deepEqual(await uploadShippingInfo(openapi, input(t, { uploadedAt: new Date(first.getTime() + 1000) })), { kind: 'ok' })
    assert.deepEqual(await uploadShippingInfo(openapi, input(t, { uploadedAt: new Date(first.getTime() + 2000) })), {
      kind: 'already_uploaded',
      code: 10060003,
    })
    assert.equal((shipment(t)?.doc['uploads'] as unknown[]).length, 2)
  })

  it('classifies an injected system error or timeout as temporary, and processes nothing', async () => {
    const t = await trade()
    cloud.openapi.faults.add({ fault: 'systemerror' })
    const busy = await uploadShippingInfo(openapi, input(t))
    assert.ok(busy.kind === 'temporary' && busy.code === -1, JSON.stringify(busy))
    cloud.openapi.faults.add({ fault: 'timeout', holdMs: 50 })
    const late = await uploadShippingInfo(openapi, input(t))
    assert.equal(late.kind, 'temporary', JSON.stringify(late))
    assert.equal(shipment(t), undefined)
    assert.deepEqual(await uploadShippingInfo(openapi, input(t)), { kind: 'ok' })
  })

  it('works from a function that declares the permission, and refuses one that does not (-604101)', async () => {
    const t = await trade()
    const built = buildShippingRequest(input(t))
    assert.ok('request' in built)
    const denied = await cloud.runner.invoke('noperm', { request: built.request }, { source: 'wx_client', openid: SHOPPER })
    assert.ok(denied.ok)
    assert.equal((denied.result as { error?: { errCode?: number } }).error?.errCode, -604101)
    assert.equal(shipment(t), undefined)
    const allowed = await cloud.runner.invoke('shipper', { request: built.request }, { source: 'wx_client', openid: SHOPPER })
    assert.ok(allowed.ok)
    assert.equal(classifyShippingAnswer(allowed.result as { answer: unknown }).kind, 'ok', JSON.stringify(allowed.result))
    assert.ok(shipment(t))
  })

  it('delivers trade_manage_order_settlement to a function when the shopper confirms receipt', async () => {
    const t = await trade()
    const hook = (body: unknown) =>
      fetch(`${cloud.url}/sim/openapi/confirm-receipt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const early = await hook({ transactionId: t.transactionId, functionName: 'receipts' })
    assert.equal(early.status, 409, 'nothing to confirm before the shipment is uploaded')
    assert.deepEqual(await uploadShippingInfo(openapi, input(t)), { kind: 'ok' })
    const res = await hook({ transactionId: t.transactionId, functionName: 'receipts' })
    assert.equal(res.status, 200)
    const body = (await res.json()) as { delivered: boolean; result: { event: Record<string, unknown>; context: Record<string, unknown> } }
    assert.equal(body.delivered, true)
    const { event } = body.result
    assert.equal(event['Event'], 'trade_manage_order_settlement')
    assert.equal(event['MsgType'], 'event')
    assert.equal(event['transaction_id'], t.transactionId)
    assert.equal(event['merchant_trade_no'], t.outTradeNo)
    assert.equal(event['confirm_receive_method'], 2)
    assert.equal(typeof event['settlement_time'], 'number')
    assert.equal(body.result.context['OPENID'], undefined, 'no shopper invoked the function')
    assert.equal((await hook({ transactionId: t.transactionId, functionName: 'receipts' })).status, 409, 'confirmed once')
    // Settled: the order cannot be shipped again.
    const after = await uploadShippingInfo(openapi, input(t, { uploadedAt: new Date(Date.now() + 5000) }))
    assert.ok(after.kind === 'permanent' && after.reason === 'not_shippable')
  })

  it('keeps uploads across a restart (durable, like the rest of the local cloud)', async () => {
    const t = await trade()
    assert.deepEqual(await uploadShippingInfo(openapi, input(t)), { kind: 'ok' })
    const res = await fetch(`${cloud.url}/sim/openapi/shipping?transactionId=${t.transactionId}`)
    const listed = (await res.json()) as { shipment: { uploads: unknown[] } | null }
    assert.equal(listed.shipment?.uploads.length, 1)
    const { dataDir, port } = cloud
    restartedDataDir = dataDir
    await cloud.close()
    // Same port: the SDK in this process keeps talking to the same URL.
    cloud = await startTestCloud({ functionsDir: functions.dir, dataDir, port })
    actAsShipper()
    assert.ok(shipment(t), 'the upload is still recorded')
    assert.deepEqual(await uploadShippingInfo(openapi, input(t, { uploadedAt: new Date(Date.now() + 1000) })), { kind: 'ok' })
    assert.deepEqual(await uploadShippingInfo(openapi, input(t, { uploadedAt: new Date(Date.now() + 2000) })), { kind: 'already_uploaded', code: 10060003 })
  })
})
