import { randomBytes } from 'node:crypto'
import { DEFAULT_API_BASE, type MerchantConfig } from '../config'
import type { PaymentParams } from '../contracts'
import { fen } from '../core/money'
import { isTradeState } from '../core/orderState'
import { AppError } from '../errors'
import type { CloseResult, PayGateway, RefundQueryResult, TradeQueryResult } from '../ports'
import { closeOutcome, refundInQuery } from './gatewayAnswers'
import { paySign } from '../protocol/sign'
import { gatewayRefusal, gatewayUnreachable, PAY_STATE_UNKNOWN } from './gatewayErrors'

type Answer = Record<string, string | undefined>
type WXPayClient = {
  unifiedOrder(data: Record<string, string>, timeout?: number): Promise<Answer>
  orderQuery(data: Record<string, string>, timeout?: number): Promise<Answer>
  closeOrder(data: Record<string, string>, timeout?: number): Promise<Answer>
  refund(data: Record<string, string>, timeout?: number): Promise<Answer>
  refundQuery(data: Record<string, string>, timeout?: number): Promise<Answer>
}
type WXPayModule = {
  WXPay: new (config: { appId: string; mchId: string; key: string; signType: string; timeout: number; certFileContent?: Buffer }) => WXPayClient
  WXPayConstants: Record<string, string>
}

/**
 * Loaded on first use, from its own file beside the bundle (scripts/function-bundle/side.ts): a
 * cloudPay deployment never loads WXPay or xml2js. wx-server-sdk's storage, the other user of
 * xml2js, is itself loaded only when a file is stored (scripts/function-bundle/trim.ts).
 */
function loadWXPay(apiBase: string): WXPayModule {
  // Only WXPay itself: the package's index also loads unrelated modules (and tcb-admin-node).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('wx-js-utils/src/libs/WXPay') as WXPayModule
  // wx-js-utils reads its endpoints from this mutable object at call time.
  for (const [name, url] of Object.entries(mod.WXPayConstants)) {
    if (name.endsWith('_URL') && url.startsWith(DEFAULT_API_BASE)) mod.WXPayConstants[name] = apiBase + url.slice(DEFAULT_API_BASE.length)
  }
  return mod
}

/**
 * The merchant APIv2 through `wx-js-utils`' WXPay (HMAC-SHA256 by default). WXPay verifies the
 * signature of every SUCCESS answer with the configured sign type before we see it.
 */
export function merchantGateway(config: MerchantConfig): PayGateway {
  let client: WXPayClient | undefined
  const wxpay = (): WXPayClient => {
    if (!client) {
      const { WXPay } = loadWXPay(config.apiBase)
      client = new WXPay({
        appId: config.appid,
        mchId: config.mchId,
        key: config.key,
        signType: config.signType,
        timeout: 5000,
        // The API certificate (PKCS#12) that refunds need; wx-js-utils presents it with the merchant number as passphrase.
        ...(config.certP12 ? { certFileContent: config.certP12 } : {}),
      })
    }
    return client
  }
  const call = async (api: keyof WXPayClient, data: Record<string, string>): Promise<Answer> => {
    let answer: Answer
    try {
      answer = await wxpay()[api](data)
    } catch (error) {
      throw gatewayUnreachable(error)
    }
    if (answer['return_code'] !== 'SUCCESS') throw gatewayRefusal(config.mchId, answer['return_msg'])
    return answer
  }
  return {
    mode: 'merchant',
    mchId: config.mchId,
    async unifiedOrder(request) {
      const answer = await call('unifiedOrder', {
        body: request.body,
        out_trade_no: request.outTradeNo,
        total_fee: String(request.totalFee),
        spbill_create_ip: request.clientIp,
        notify_url: config.notifyUrl,
        trade_type: 'JSAPI',
        openid: request.openid,
        time_expire: request.timeExpire,
      })
      if (answer['result_code'] !== 'SUCCESS') throw gatewayRefusal(config.mchId, answer['err_code'], answer['err_code_des'])
      const prepayId = answer['prepay_id']
      if (!prepayId) throw new AppError('PAY_GATEWAY_ERROR', '微信支付下单失败，请稍后重试', { detail: 'unifiedorder answered no prepay_id', cause: answer })
      const payment: Omit<PaymentParams, 'paySign'> & { signType: MerchantConfig['signType'] } = {
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: randomBytes(16).toString('hex'),
        package: `prepay_id=${prepayId}`,
        signType: config.signType,
      }
      // Signed anew for wx.requestPayment, with the same sign type as unifiedorder.
      return { prepayId, payment: { ...payment, paySign: paySign({ appId: config.appid, ...payment }, config.key) } }
    },
    async queryOrder(outTradeNo): Promise<TradeQueryResult> {
      const answer = await call('orderQuery', { out_trade_no: outTradeNo })
      if (answer['result_code'] !== 'SUCCESS') {
        if (answer['err_code'] === 'ORDERNOTEXIST') return { found: false }
        throw gatewayRefusal(config.mchId, answer['err_code'], answer['err_code_des'])
      }
      const tradeState = answer['trade_state']
      if (!isTradeState(tradeState)) throw new AppError('PAY_GATEWAY_ERROR', PAY_STATE_UNKNOWN, { detail: `unknown trade_state ${String(tradeState)}` })
      const totalFee = answer['total_fee']
      return {
        found: true,
        tradeState,
        mchId: answer['mch_id'] ?? config.mchId,
        ...(totalFee && /^\d+$/.test(totalFee) ? { totalFee: fen(Number(totalFee)) } : {}),
        ...(answer['transaction_id'] ? { transactionId: answer['transaction_id'] } : {}),
        ...(answer['time_end'] ? { timeEnd: answer['time_end'] } : {}),
      }
    },
    async closeOrder(outTradeNo): Promise<CloseResult> {
      const answer = await call('closeOrder', { out_trade_no: outTradeNo })
      return closeOutcome(answer['result_code'] === 'SUCCESS', answer['err_code_des'] ?? '', answer['err_code'] ?? '')
    },
    assertCanRefund() {
      if (!config.certP12 && !config.simulator) {
        throw new AppError('CONFIG_ERROR', '商家退款设置未完成，暂时无法退款', {
          detail: '退款需要微信支付 API 证书：请设置 WXPAY_CERT_P12_BASE64（apiclient_cert.p12 的 base64）',
        })
      }
    },
    async refund(request) {
      this.assertCanRefund()
      const answer = await call('refund', {
        out_trade_no: request.outTradeNo,
        out_refund_no: request.outRefundNo,
        total_fee: String(request.totalFee),
        refund_fee: String(request.refundFee),
        notify_url: config.notifyUrl,
      })
      if (answer['result_code'] !== 'SUCCESS') throw gatewayRefusal(config.mchId, answer['err_code'], answer['err_code_des'])
    },
    async queryRefund(outTradeNo, outRefundNo): Promise<RefundQueryResult> {
      const answer = await call('refundQuery', { out_trade_no: outTradeNo, out_refund_no: outRefundNo })
      if (answer['result_code'] !== 'SUCCESS') {
        if (answer['err_code'] === 'REFUNDNOTEXIST') return { found: false }
        throw gatewayRefusal(config.mchId, answer['err_code'], answer['err_code_des'])
      }
      return refundInQuery(answer, outRefundNo)
    },
  }
}
