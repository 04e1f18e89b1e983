// Merchant-key APIv2: signed XML in, signed XML out (signed with the request's sign_type, so
// wx-js-utils' WXPay accepts the answer as is). Refusals before the signature is known to be
// good are unsigned `return_code FAIL`, as in the real service.
import type { AnswerFields } from './answers'
import { PaySimError, Refusal, RETURN_MSG, systemError } from './errors'
import { nonceStr } from './ids'
import { closeOrderOp, queryOrder, queryRefund, refund, unifiedOrder, type Channel, type OperationsEnv } from './operations'
import { ParamReader } from './params'
import { isSignType, sign, verifySign, type SignType } from '../../payment/protocol/sign'
import { XmlError, buildXml, parseFlatXml } from '../../payment/protocol/xml'

export const API_V2_PATHS = ['/pay/unifiedorder', '/pay/orderquery', '/pay/closeorder', '/secapi/pay/refund', '/pay/refundquery'] as const
export type ApiV2Path = (typeof API_V2_PATHS)[number]

export interface Merchant {
  mchId: string
  key: string
  /** The refund notify URL set on the merchant platform; a request's notify_url wins. */
  refundNotifyUrl?: string
}

export interface ApiV2Config {
  appid: string
  merchants: ReadonlyMap<string, Merchant>
}

type Handler = (ch: Channel, p: ParamReader) => Promise<AnswerFields>

export function isApiV2Path(path: string): path is ApiV2Path {
  return (API_V2_PATHS as readonly string[]).includes(path)
}

export function createApiV2(env: OperationsEnv, config: ApiV2Config) {
  const handlers: Readonly<Record<ApiV2Path, Handler>> = {
    '/pay/unifiedorder': async (ch, p) => {
      const trade = await unifiedOrder(env, ch, p)
      return { trade_type: trade.tradeType, prepay_id: trade.prepayId }
    },
    '/pay/orderquery': async (ch, p) => queryOrder(env, ch, p),
    '/pay/closeorder': (ch, p) => closeOrderOp(env, ch, p),
    '/secapi/pay/refund': (ch, p) => refund(env, ch, p),
    '/pay/refundquery': async (ch, p) => queryRefund(env, ch, p),
  }

  const fail = (returnMsg: string) => buildXml({ return_code: 'FAIL', return_msg: returnMsg })

  function signed(fields: AnswerFields, merchant: Merchant, signType: SignType): string {
    return buildXml({ ...fields, sign: sign(fields, merchant.key, signType) })
  }

  return async function apiV2(path: string, xmlBody: string): Promise<string> {
    if (!isApiV2Path(path)) throw new PaySimError('UNKNOWN_API', `${path} is not simulated`)
    await env.ctx.ledger.load()
    let params: Record<string, string>
    try {
      params = parseFlatXml(xmlBody)
    } catch (err) {
      if (err instanceof XmlError) return fail(err.code === 'XML_EMPTY' ? RETURN_MSG.emptyBody : RETURN_MSG.xmlFormat)
      throw err
    }
    const p = new ParamReader(params, 'xml')
    let merchant: Merchant
    let signType: SignType
    try {
      const mchId = p.text('mch_id', { maxBytes: 32 })
      const appid = p.text('appid', { maxBytes: 32 })
      const found = config.merchants.get(mchId)
      if (!found || appid !== config.appid) throw Refusal.returnFail(RETURN_MSG.mchMismatch)
      merchant = found
      const requested = p.optText('sign_type') ?? 'MD5'
      if (!isSignType(requested)) throw Refusal.returnFail(RETURN_MSG.format('sign_type'))
      signType = requested
      p.text('sign')
      if (!verifySign(params, merchant.key, signType)) throw Refusal.returnFail(RETURN_MSG.signError)
    } catch (err) {
      if (err instanceof Refusal && err.answer.level === 'return') return fail(err.answer.returnMsg)
      throw err
    }
    const envelope: AnswerFields = { return_code: 'SUCCESS', return_msg: 'OK', appid: config.appid, mch_id: merchant.mchId, nonce_str: nonceStr() }
    try {
      p.text('nonce_str', { maxBytes: 32 })
      const channel: Channel = {
        mode: 'merchant',
        mchId: merchant.mchId,
        appid: config.appid,
        signType,
        orderNotify: (q) => ({ kind: 'url', url: q.url('notify_url') }),
        refundNotify: (q) => {
          const url = q.has('notify_url') ? q.url('notify_url') : merchant.refundNotifyUrl
          return url === undefined ? undefined : { kind: 'url', url }
        },
        openid: (q) => q.optText('openid', { maxBytes: 128 }),
      }
      const fields = await handlers[path](channel, p)
      return signed({ ...envelope, result_code: 'SUCCESS', ...fields }, merchant, signType)
    } catch (err) {
      const refusal = err instanceof Refusal ? err : err instanceof PaySimError && err.code === 'STORE_ERROR' ? systemError() : undefined
      if (!refusal) throw err
      const answer = refusal.answer
      if (answer.level === 'return') return fail(answer.returnMsg)
      return signed({ ...envelope, result_code: 'FAIL', err_code: answer.errCode, err_code_des: answer.errCodeDes }, merchant, signType)
    }
  }
}
