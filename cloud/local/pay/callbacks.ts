// The notifications WeChat Pay sends: the cloudPay callback event (camelCase, to a function),
// and the APIv2 notify XML (to notify_url). Built once, so every retry carries the same content.
import { payerFields, type AnswerFields, type ServiceProvider } from './answers'
import { PaySimError } from './errors'
import { beijingDateTime, nonceStr } from './ids'
import type { NotificationRecord, NotifyTarget, RefundRecord, TradeRecord } from './records'
import { encryptReqInfo } from '../../payment/protocol/reqInfo'
import { sign } from '../../payment/protocol/sign'
import { buildXml } from '../../payment/protocol/xml'

export interface CallbackKeys {
  provider: ServiceProvider
  /** The APIv2 key of a merchant, for signing its notifications. */
  merchantKey(mchId: string): string | undefined
}

function camel(fields: AnswerFields): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(fields)) out[name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value
  return out
}

interface Draft {
  id: string
  kind: NotificationRecord['kind']
  trade: TradeRecord
  target: NotifyTarget
  fields: AnswerFields
  firstAttemptAt: number
  outRefundNo?: string
  xmlOf(fields: AnswerFields): string
}

function record(d: Draft): NotificationRecord {
  return {
    _id: d.id,
    kind: d.kind,
    mode: d.trade.mode,
    mchId: d.trade.mchId,
    outTradeNo: d.trade.outTradeNo,
    ...(d.outRefundNo !== undefined ? { outRefundNo: d.outRefundNo } : {}),
    delivery:
      d.target.kind === 'function'
        ? { kind: 'function', functionName: d.target.functionName, event: camel(d.fields) }
        : { kind: 'url', url: d.target.url, xml: d.xmlOf(d.fields) },
    status: 'PENDING',
    attempts: [],
    nextAttemptAt: d.firstAttemptAt,
    createdAt: d.firstAttemptAt,
  }
}

function requireKey(keys: CallbackKeys, mchId: string): string {
  const key = keys.merchantKey(mchId)
  if (key === undefined) throw new PaySimError('CONFIG_ERROR', `no key configured for merchant ${mchId}`)
  return key
}

function envelope(trade: TradeRecord, keys: CallbackKeys): AnswerFields {
  const { provider } = keys
  return trade.mode === 'merchant'
    ? { appid: trade.appid, mch_id: trade.mchId, nonce_str: nonceStr() }
    : { appid: provider.appid, mch_id: provider.mchId, sub_appid: trade.appid, sub_mch_id: trade.mchId, nonce_str: nonceStr() }
}

export function paymentNotification(trade: TradeRecord, keys: CallbackKeys, at: number): NotificationRecord {
  const fields: AnswerFields = {
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    ...envelope(trade, keys),
    ...payerFields(trade, keys.provider),
    trade_type: trade.tradeType,
    bank_type: 'OTHERS',
    total_fee: trade.totalFee,
    fee_type: 'CNY',
    cash_fee: trade.totalFee,
    transaction_id: trade.transactionId ?? '',
    out_trade_no: trade.outTradeNo,
    time_end: trade.timeEnd ?? '',
    ...(trade.attach !== undefined ? { attach: trade.attach } : {}),
  }
  // Like the real service, the notify carries no sign_type even when it is signed with HMAC-SHA256.
  const xmlOf = (f: AnswerFields) => buildXml({ ...f, sign: sign(f, requireKey(keys, trade.mchId), trade.signType) })
  return record({ id: `pay:${trade._id}`, kind: 'payment', trade, target: trade.notify, fields, firstAttemptAt: at, xmlOf })
}

export function refundNotification(trade: TradeRecord, refund: RefundRecord, keys: CallbackKeys): NotificationRecord | undefined {
  if (!refund.notify) return undefined
  const info: AnswerFields = {
    out_refund_no: refund.outRefundNo,
    out_trade_no: refund.outTradeNo,
    refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS',
    refund_fee: refund.refundFee,
    refund_id: refund.refundId,
    refund_recv_accout: '支付用户的零钱',
    refund_request_source: 'API',
    refund_status: 'SUCCESS',
    settlement_refund_fee: refund.refundFee,
    settlement_total_fee: refund.totalFee,
    success_time: beijingDateTime(refund.settleAt),
    total_fee: refund.totalFee,
    transaction_id: refund.transactionId,
  }
  const base: AnswerFields = { return_code: 'SUCCESS', ...envelope(trade, keys) }
  // cloudPay hands the function the decrypted fields; APIv2 encrypts them into req_info, unsigned.
  const fields: AnswerFields = refund.notify.kind === 'function' ? { ...base, result_code: 'SUCCESS', ...info } : base
  const xmlOf = (f: AnswerFields) => buildXml({ ...f, req_info: encryptReqInfo(buildXml(info, 'root'), requireKey(keys, trade.mchId)) })
  return record({
    id: `refund:${refund._id}`,
    kind: 'refund',
    trade,
    target: refund.notify,
    fields,
    firstAttemptAt: refund.settleAt,
    outRefundNo: refund.outRefundNo,
    xmlOf,
  })
}
