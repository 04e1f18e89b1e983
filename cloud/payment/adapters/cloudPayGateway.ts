import { randomBytes } from 'node:crypto'
import type { CloudPayConfig } from '../config'
import type { PaymentParams } from '../contracts'
import { fen } from '../core/money'
import { isTradeState } from '../core/orderState'
import { AppError } from '../errors'
import type { CloseResult, PayGateway, RefundQueryResult, TradeQueryResult } from '../ports'
import { closeOutcome, refundInQuery } from './gatewayAnswers'
import { gatewayRefusal, gatewayUnreachable, PAY_STATE_UNKNOWN } from './gatewayErrors'

type Answer = Record<string, unknown>
export type CloudPayApi = {
  unifiedOrder(params: Record<string, unknown>): Promise<Answer>
  queryOrder(params: Record<string, unknown>): Promise<Answer>
  closeOrder(params: Record<string, unknown>): Promise<Answer>
  refund(params: Record<string, unknown>): Promise<Answer>
  queryRefund(params: Record<string, unknown>): Promise<Answer>
}
export type CloudPaySdk = { cloudPay: CloudPayApi; getWXContext(): Record<string, unknown> }

export const CALLBACK_FUNCTION = 'payNotify'

const nonce = (): string => randomBytes(16).toString('hex')
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/**
 * `cloud.cloudPay` (no key, no certificate). The SDK overwrites `errCode` with 0 on every
 * answer, so success is read from `returnCode` / `resultCode` (docs/wechat-pay.md).
 */
export function cloudPayGateway(cloud: CloudPaySdk, config: CloudPayConfig): PayGateway {
  const call = async (api: keyof CloudPayApi, params: Record<string, unknown>): Promise<Answer> => {
    try {
      return await cloud.cloudPay[api]({ subMchId: config.subMchId, nonceStr: nonce(), ...params })
    } catch (error) {
      throw gatewayUnreachable(error)
    }
  }
  const refused = (answer: Answer): AppError | undefined => {
    if (answer['returnCode'] !== 'SUCCESS') return gatewayRefusal(config.subMchId, text(answer['returnMsg']))
    // errCode is always 0 here (the SDK overwrites it): errCodeDes carries the reason.
    if (answer['resultCode'] !== 'SUCCESS') return gatewayRefusal(config.subMchId, text(answer['errCodeDes']))
    return undefined
  }
  return {
    mode: 'cloudpay',
    mchId: config.subMchId,
    async unifiedOrder(request) {
      const answer = await call('unifiedOrder', {
        body: request.body,
        outTradeNo: request.outTradeNo,
        totalFee: request.totalFee,
        spbillCreateIp: request.clientIp,
        envId: String(cloud.getWXContext()['ENV'] ?? ''),
        functionName: CALLBACK_FUNCTION,
        tradeType: 'JSAPI',
        timeExpire: request.timeExpire,
      })
      const refusal = refused(answer)
      if (refusal) throw refusal
      const payment = parsePayment(answer['payment'])
      const prepayId = text(answer['prepayId'])
      if (!payment || !prepayId)
        throw new AppError('PAY_GATEWAY_ERROR', '微信支付下单失败，请稍后重试', {
          detail: 'unifiedOrder answered incomplete payment parameters',
          cause: answer,
        })
      return { prepayId, payment }
    },
    async queryOrder(outTradeNo): Promise<TradeQueryResult> {
      const answer = await call('queryOrder', { outTradeNo })
      const refusal = refused(answer)
      if (refusal) {
        if (answer['returnCode'] === 'SUCCESS' && /ORDERNOTEXIST|订单号?不存在/i.test(String(answer['errCodeDes'] ?? ''))) return { found: false }
        throw refusal
      }
      const tradeState = answer['tradeState']
      if (!isTradeState(tradeState)) throw new AppError('PAY_GATEWAY_ERROR', PAY_STATE_UNKNOWN, { detail: `unknown tradeState ${String(tradeState)}` })
      return {
        found: true,
        tradeState,
        mchId: text(answer['subMchId']) ?? config.subMchId,
        ...(typeof answer['totalFee'] === 'number' ? { totalFee: fen(answer['totalFee']) } : {}),
        ...(text(answer['transactionId']) ? { transactionId: text(answer['transactionId']) } : {}),
        ...(text(answer['timeEnd']) ? { timeEnd: text(answer['timeEnd']) } : {}),
      }
    },
    async closeOrder(outTradeNo): Promise<CloseResult> {
      const answer = await call('closeOrder', { outTradeNo })
      if (answer['returnCode'] !== 'SUCCESS') throw refused(answer)
      return closeOutcome(answer['resultCode'] === 'SUCCESS', text(answer['errCodeDes']) ?? '')
    },
    assertCanRefund() {
      // cloudPay needs no certificate.
    },
    async refund(request) {
      const answer = await call('refund', {
        outTradeNo: request.outTradeNo,
        outRefundNo: request.outRefundNo,
        totalFee: request.totalFee,
        refundFee: request.refundFee,
        envId: String(cloud.getWXContext()['ENV'] ?? ''),
        functionName: CALLBACK_FUNCTION,
      })
      const refusal = refused(answer)
      if (refusal) throw refusal
    },
    async queryRefund(outTradeNo, outRefundNo): Promise<RefundQueryResult> {
      const answer = await call('queryRefund', { outTradeNo, outRefundNo })
      const refusal = refused(answer)
      if (refusal) {
        // REFUNDNOTEXIST's words are 退款订单查询失败 (errCode itself is wiped by the SDK).
        if (answer['returnCode'] === 'SUCCESS' && /REFUNDNOTEXIST|不存在|退款订单查询失败/.test(String(answer['errCodeDes'] ?? ''))) return { found: false }
        throw refusal
      }
      return refundInQuery(answer, outRefundNo)
    },
  }
}

export function parsePayment(raw: unknown): PaymentParams | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const p = raw as Record<string, unknown>
  const signType = p['signType']
  const fields = [p['timeStamp'], p['nonceStr'], p['package'], p['paySign']]
  if (!fields.every((f) => typeof f === 'string' && f !== '')) return undefined
  if (signType !== 'MD5' && signType !== 'HMAC-SHA256' && signType !== 'RSA') return undefined
  return { timeStamp: String(p['timeStamp']), nonceStr: String(p['nonceStr']), package: String(p['package']), signType, paySign: String(p['paySign']) }
}
