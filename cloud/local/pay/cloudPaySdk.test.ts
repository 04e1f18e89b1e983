// The real wx-server-sdk as the client: proves the answer shape survives its multipart call,
// its snake_case → camelCase conversion and its errCode overwrite (docs/local-cloud.md).
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import busboy from 'busboy'
import { ALICE, ALICE_TOKEN, APPID, CLOUDPAY_KEY, ENV_ID, SUB_MCH_ID, callerOf, harness } from './fakes'
import { paySign } from '../../payment/protocol/sign'

type CloudPayCall = (data: Record<string, unknown>) => Promise<Record<string, unknown>>
interface CloudPay {
  unifiedOrder: CloudPayCall
  queryOrder: CloudPayCall
}

describe('wx-server-sdk cloudPay against the simulator', () => {
  const h = harness({ resolveCaller: () => callerOf(ALICE_TOKEN) })
  let server: Server
  let cloudPay: CloudPay

  before(async () => {
    server = createServer((req, res) => {
      const fields = new Map<string, string>()
      const parser = busboy({ headers: req.headers })
      parser.on('field', (name, value) => fields.set(name, value))
      parser.on('file', (name, file) => {
        const chunks: Buffer[] = []
        file.on('data', (chunk: Buffer) => chunks.push(chunk))
        file.on('end', () => fields.set(name, Buffer.concat(chunks).toString('utf8')))
      })
      parser.on('close', () => {
        h.sim
          .cloudPayApi(fields.get('apiName') ?? '', JSON.parse(fields.get('requestData') ?? 'null'), fields.get('wxCloudApiToken') ?? '')
          .then((answer) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' })
            res.end(JSON.stringify(answer))
          })
          .catch((err: unknown) => {
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
            res.end(JSON.stringify({ code: 'SIM_ERROR', message: String(err) }))
          })
      })
      req.pipe(parser)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    Object.assign(process.env, {
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }),
      TENCENTCLOUD_SECRETID: 'local',
      TENCENTCLOUD_SECRETKEY: 'local',
      TENCENTCLOUD: 'true',
      TCB_ENV: ENV_ID,
      SCF_NAMESPACE: ENV_ID,
    })
    const cloud = require('wx-server-sdk') as { init(o: object): void; DYNAMIC_CURRENT_ENV: unknown; cloudPay: CloudPay }
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
    cloudPay = cloud.cloudPay
  })

  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const order = (overrides: Record<string, unknown> = {}) =>
    cloudPay.unifiedOrder({
      functionName: 'payNotify',
      envId: ENV_ID,
      subMchId: SUB_MCH_ID,
      nonceStr: 'n0nce',
      body: 'Tee',
      outTradeNo: 'S20240321000001',
      totalFee: 1990,
      spbillCreateIp: '127.0.0.1',
      ...overrides,
    })

  it('hands the function a camelCase answer with a payment ready for wx.requestPayment', async () => {
    const answer = await order()
    assert.equal(answer.returnCode, 'SUCCESS')
    assert.equal(answer.resultCode, 'SUCCESS')
    assert.equal(answer.subMchId, SUB_MCH_ID)
    const payment = answer.payment as Record<string, string>
    assert.equal(payment.appId, APPID)
    assert.equal(payment.package, `prepay_id=${String(answer.prepayId)}`)
    const { appId = '', nonceStr = '', package: pkg = '', timeStamp = '' } = payment
    assert.equal(payment.paySign, paySign({ appId, nonceStr, package: pkg, signType: 'MD5', timeStamp }, CLOUDPAY_KEY))
  })

  it('shows business failures in resultCode/errCodeDes, since the SDK overwrites errCode', async () => {
    const answer = await order({ totalFee: 2990 })
    assert.equal(answer.errCode, 0)
    assert.equal(answer.resultCode, 'FAIL')
    assert.equal(answer.errCodeDes, '商户订单号重复')
    const malformed = await order({ outTradeNo: 'S20240321000002', totalFee: '1990' })
    assert.equal(malformed.returnCode, 'FAIL')
    assert.equal(malformed.returnMsg, 'total_fee参数格式错误')
  })

  it('queries the paid order with the shopper as subOpenid', async () => {
    await h.sim.simPay({ outTradeNo: 'S20240321000001', result: 'SUCCESS' })
    const answer = await cloudPay.queryOrder({ subMchId: SUB_MCH_ID, nonceStr: 'n', outTradeNo: 'S20240321000001' })
    assert.equal(answer.tradeState, 'SUCCESS')
    assert.equal(answer.subOpenid, ALICE)
    assert.equal(answer.totalFee, 1990)
  })
})
