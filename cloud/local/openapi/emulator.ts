// Answers `cloud.openapi.*` calls of the real wx-server-sdk: multipart action `wx.openApi` on
// /admin with `apiName` and `requestData` (a protobuf CommApiData whose pairs hold each top-level
// request field as JSON), replying a protobuf CommOpenApiResp whose `respData` is the platform's
// JSON answer (see protobuf.ts). Only 发货信息录入 is emulated; everything else is refused with
// ACTION_NOT_SUPPORTED, as before. Test hooks live under /sim/openapi/.
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import type { Engine } from '../db/engine'
import { HttpError, parseJsonBody, readBody, sendError, sendJson } from '../http/body'
import type { FunctionRunner, InvokeOutcome } from '../runner/runner'
import { OpenApiFaultError, OpenApiFaults } from './faults'
import { decodeCommApiData, encodeCommOpenApiResp, ProtobufError } from './protobuf'
import { ShippingDesk, ShippingDeskError, type ReceiptOrder } from './shippingDesk'
import { ERR, refuse, type WxAnswer } from './shippingRequest'

export const OPENAPI_ACTION = 'wx.openApi'
export const UPLOAD_SHIPPING_INFO = 'wxa.sec.order.uploadShippingInfo'
export const OPENAPI_SIM_PREFIX = '/sim/openapi/'
/** The platform's "no permission" (cloud call not declared in config.json `permissions.openapi`). */
export const NO_PERMISSION = -604101

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

export class OpenApiEmulator {
  readonly faults = new OpenApiFaults()

  private constructor(
    readonly shipping: ShippingDesk,
    private readonly runner: FunctionRunner,
  ) {}

  static async start(engine: Engine, runner: FunctionRunner, now: () => number = Date.now): Promise<OpenApiEmulator> {
    const shipping = new ShippingDesk(engine, now)
    await shipping.prepare()
    return new OpenApiEmulator(shipping, runner)
  }

  /** One `wx.openApi` call from the SDK (its multipart fields). */
  async admin(fields: Map<string, Buffer>, res: ServerResponse, requestId: string): Promise<void> {
    const apiName = fields.get('apiName')?.toString() ?? ''
    const caller = this.runner.callerOf(fields.get('wxCloudApiToken')?.toString() ?? '')
    // Cloud calls are authenticated by the platform: only a function invocation may make one.
    if (!caller) return sendJson(res, 200, { requestId, code: 'PERMISSION_DENIED', message: 'cloud calls need the token of a running invocation' })
    if (apiName !== UPLOAD_SHIPPING_INFO)
      return sendJson(res, 200, { requestId, code: 'ACTION_NOT_SUPPORTED', message: `open API ${apiName} is not supported by the local cloud` })
    if (!this.declared(caller.functionName, apiName)) return reply(res, { errorCode: NO_PERMISSION })

    let body: Record<string, unknown>
    try {
      body = Object.fromEntries(
        decodeCommApiData(fields.get('requestData') ?? Buffer.alloc(0)).pairs.map((p) => [p.key, JSON.parse(p.value.toString('utf8')) as unknown]),
      )
    } catch (error) {
      if (!(error instanceof ProtobufError) && !(error instanceof SyntaxError)) throw error
      return reply(res, { answer: refuse(ERR.DATA_FORMAT, 'data format error') })
    }

    const fault = this.faults.take(apiName)
    if (fault?.fault === 'timeout') {
      await held(res, fault.holdMs)
      res.destroy()
      return
    }
    if (fault?.fault === 'systemerror') return reply(res, { answer: refuse(ERR.SYSTEM_ERROR, 'system error') })
    return reply(res, { answer: await this.shipping.upload(body) })
  }

  /**
   * Plays "the shopper confirmed receipt in WeChat": settles the shipment and pushes the
   * `trade_manage_order_settlement` event to `functionName` through the runner.
   */
  async confirmReceipt(order: ReceiptOrder, functionName: string, method: 1 | 2 = 2): Promise<{ event: Record<string, unknown>; outcome: InvokeOutcome }> {
    if (!this.runner.exists(functionName)) throw new ShippingDeskError(`function ${functionName} is not deployed`)
    const event = await this.shipping.confirmReceipt(order, method)
    // No shopper called: no openid, as for a timer. The source a real message push carries is unconfirmed.
    const outcome = await this.runner.invoke(functionName, event, { source: 'wx_client' })
    return { event, outcome }
  }

  /** Test hooks (loopback callers only): confirm-receipt, shipping, faults. */
  async http(req: IncomingMessage, res: ServerResponse, pathname: string, method: string): Promise<void> {
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) return sendError(res, 403, 'FORBIDDEN', 'the open API hooks answer loopback callers only')
    const route = pathname.slice(OPENAPI_SIM_PREFIX.length)
    if (route === 'confirm-receipt' && method === 'POST') {
      const input = parseJsonBody(await readBody(req)) as Record<string, unknown> | null
      const functionName = input?.['functionName']
      const confirmMethod = input?.['method'] ?? 2
      if (typeof functionName !== 'string' || !NAME.test(functionName)) throw new HttpError(400, 'INVALID_ARGUMENT', 'functionName is required')
      if (confirmMethod !== 1 && confirmMethod !== 2) throw new HttpError(400, 'INVALID_ARGUMENT', 'method must be 1 (automatic) or 2 (by the shopper)')
      try {
        const { event, outcome } = await this.confirmReceipt(orderOf(input), functionName, confirmMethod)
        return sendJson(
          res,
          200,
          outcome.ok ? { delivered: true, event, result: outcome.result } : { delivered: false, event, error: outcome.code, message: outcome.message },
        )
      } catch (error) {
        if (!(error instanceof ShippingDeskError)) throw error
        return sendError(res, 409, 'NOT_CONFIRMABLE', error.message)
      }
    }
    if (route === 'shipping' && method === 'GET') {
      const query = Object.fromEntries(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams)
      return sendJson(res, 200, { shipment: (await this.shipping.find(orderOf(query))) ?? null })
    }
    if (route === 'faults') {
      if (method === 'GET') return sendJson(res, 200, { faults: this.faults.list() })
      if (method === 'DELETE') {
        this.faults.clear()
        return sendJson(res, 200, { cleared: true })
      }
      if (method === 'POST') {
        try {
          return sendJson(res, 200, { added: this.faults.add(parseJsonBody(await readBody(req))) })
        } catch (error) {
          if (!(error instanceof OpenApiFaultError)) throw error
          throw new HttpError(400, 'INVALID_FAULT', error.message)
        }
      }
    }
    sendError(res, 404, 'NOT_FOUND', `no route for ${method} ${pathname}`)
  }

  /** Whether the function's config.json lists the API under `permissions.openapi`, as the cloud requires. */
  private declared(functionName: string, apiName: string): boolean {
    try {
      const config = JSON.parse(readFileSync(path.join(this.runner.dirOf(functionName), 'config.json'), 'utf8')) as { permissions?: { openapi?: unknown } }
      const list = config.permissions?.openapi
      return Array.isArray(list) && list.includes(apiName)
    } catch {
      return false
    }
  }
}

function orderOf(input: Record<string, unknown> | null): ReceiptOrder {
  const transactionId = input?.['transactionId']
  const mchId = input?.['mchId']
  const outTradeNo = input?.['outTradeNo']
  if (typeof transactionId === 'string' && transactionId !== '') return { transactionId }
  if (typeof mchId === 'string' && typeof outTradeNo === 'string' && mchId !== '' && outTradeNo !== '') return { mchId, outTradeNo }
  throw new HttpError(400, 'INVALID_ARGUMENT', 'give transactionId, or mchId and outTradeNo')
}

/** Not `application/json; charset=utf-8`: the SDK then decodes the body as CommOpenApiResp. */
function reply(res: ServerResponse, what: { answer: WxAnswer } | { errorCode: number }): void {
  const body =
    'answer' in what
      ? encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(what.answer)), contentType: 'application/json', httpCode: 200 })
      : encodeCommOpenApiResp({ respData: Buffer.alloc(0), contentType: '', errorCode: what.errorCode })
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
  res.end(body)
}

function held(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    res.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
