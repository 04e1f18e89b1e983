// What an injected gateway fault does to one pay API call on the wire: the connection dies
// (before or after the simulator processed the call), the request hangs, the server errs, or
// WeChat answers a well-formed refusal.
import type { ServerResponse } from 'node:http'
import type { ServiceProvider } from '../pay/answers'
import { nonceStr } from '../pay/ids'
import { isSignType, sign, type SignType } from '../../payment/protocol/sign'
import { buildXml, parseFlatXml } from '../../payment/protocol/xml'
import type { NormalizedGatewayFault } from './spec'

export const API_OF_V2_PATH: Readonly<Record<string, string>> = {
  '/pay/unifiedorder': 'unifiedOrder',
  '/pay/orderquery': 'queryOrder',
  '/pay/closeorder': 'closeOrder',
  '/secapi/pay/refund': 'refund',
  '/pay/refundquery': 'queryRefund',
}

export const REFUSALS = {
  systemerror: { errCode: 'SYSTEMERROR', errCodeDes: '系统繁忙，请稍后再试' },
  orderpaid: { errCode: 'ORDERPAID', errCodeDes: '订单已支付' },
} as const

type Refusal = (typeof REFUSALS)[keyof typeof REFUSALS]

/** What the simulator's answers carry, so an injected refusal looks like one of its own. */
export interface AnswerEnv {
  appid: string
  provider: ServiceProvider
  merchantKey(mchId: string): string | undefined
}

export interface FaultedCall {
  /** Runs the call through the simulator (for lost_answer); its answer is thrown away. */
  process(): Promise<unknown>
  /** The body and content type of a well-formed refusal on this channel. */
  refusal(refusal: Refusal): { contentType: string; body: string }
}

export async function applyGatewayFault(fault: NormalizedGatewayFault, res: ServerResponse, call: FaultedCall): Promise<void> {
  switch (fault.fault) {
    case 'reset':
      res.destroy()
      return
    case 'timeout':
      await held(res, fault.holdMs ?? 0)
      res.destroy()
      return
    case 'lost_answer':
      try {
        await call.process()
      } catch {
        // whatever the simulator said, the caller never hears it
      }
      res.destroy()
      return
    case 'http500': {
      const body = 'Internal Server Error (injected fault)'
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      res.end(body)
      return
    }
    case 'systemerror':
    case 'orderpaid': {
      const { contentType, body } = call.refusal(REFUSALS[fault.fault])
      res.writeHead(200, { 'content-type': contentType })
      res.end(body)
      return
    }
  }
}

/** Resolves after `ms`, or as soon as the connection goes away (the caller gave up, the cloud closed). */
function held(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      res.off('close', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    timer.unref()
    res.once('close', done)
  })
}

/** cloudPay: the snake_case JSON answer, as the simulator's own `result_code FAIL` answers. */
export function cloudPayRefusal(env: AnswerEnv, requestData: unknown, refusal: Refusal): { contentType: string; body: string } {
  const subMchId = typeof requestData === 'object' && requestData !== null ? (requestData as Record<string, unknown>)['sub_mch_id'] : undefined
  const answer = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: env.provider.appid,
    mch_id: env.provider.mchId,
    sub_appid: env.appid,
    ...(typeof subMchId === 'string' ? { sub_mch_id: subMchId } : {}),
    nonce_str: nonceStr(),
    result_code: 'FAIL',
    err_code: refusal.errCode,
    err_code_des: refusal.errCodeDes,
  }
  return { contentType: 'application/octet-stream', body: JSON.stringify(answer) }
}

/** APIv2: signed XML with the merchant's key and the request's sign_type, as apiV2.ts signs. */
export function apiV2Refusal(env: AnswerEnv, xmlBody: string, refusal: Refusal): { contentType: string; body: string } {
  const contentType = 'text/xml; charset=utf-8'
  let params: Record<string, string> = {}
  try {
    params = parseFlatXml(xmlBody)
  } catch {
    // an unreadable request: answered unsigned below
  }
  const mchId = params['mch_id'] ?? ''
  const key = env.merchantKey(mchId)
  if (key === undefined) return { contentType, body: buildXml({ return_code: 'FAIL', return_msg: refusal.errCodeDes }) }
  const requested = params['sign_type'] ?? 'MD5'
  const signType: SignType = isSignType(requested) ? requested : 'MD5'
  const fields = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: env.appid,
    mch_id: mchId,
    nonce_str: nonceStr(),
    result_code: 'FAIL',
    err_code: refusal.errCode,
    err_code_des: refusal.errCodeDes,
  }
  return { contentType, body: buildXml({ ...fields, sign: sign(fields, key, signType) }) }
}
