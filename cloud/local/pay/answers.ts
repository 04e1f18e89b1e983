// Business fields of answers, in snake_case. Amounts are numbers here; APIv2 writes them as text.
import type { PayContext } from './context'
import { beijingDateTime, providerOpenid } from './ids'
import { effectiveState, refundsOf } from './orders'
import type { RefundRecord, TradeRecord, TradeState } from './records'
import { refundStatus } from './refunds'

export type AnswerFields = Record<string, string | number>

/** The cloudPay service provider that cloudPay answers and callbacks name as appid/mch_id. */
export interface ServiceProvider {
  appid: string
  mchId: string
}

const STATE_DESC: Readonly<Record<TradeState, string>> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '订单未支付',
  CLOSED: '已关闭',
  PAYERROR: '支付失败(其他原因，如银行返回失败)',
}

/** openid fields: cloudPay trades are the provider's, so the shopper's openid is sub_openid. */
export function payerFields(trade: TradeRecord, provider: ServiceProvider): AnswerFields {
  if (trade.mode === 'merchant') return { openid: trade.openid, is_subscribe: 'N' }
  return {
    openid: providerOpenid(provider.appid, trade.openid),
    is_subscribe: 'N',
    sub_openid: trade.openid,
    sub_is_subscribe: 'N',
  }
}

export function orderQueryFields(ctx: PayContext, trade: TradeRecord, provider: ServiceProvider): AnswerFields {
  const state = effectiveState(trade, refundsOf(ctx, trade))
  const fields: AnswerFields = {
    trade_state: state,
    trade_state_desc: STATE_DESC[state],
    out_trade_no: trade.outTradeNo,
    total_fee: trade.totalFee,
    fee_type: 'CNY',
    trade_type: trade.tradeType,
  }
  if (trade.attach !== undefined) fields.attach = trade.attach
  if (trade.transactionId !== undefined && trade.timeEnd !== undefined) {
    Object.assign(fields, payerFields(trade, provider), {
      bank_type: 'OTHERS',
      cash_fee: trade.totalFee,
      transaction_id: trade.transactionId,
      time_end: trade.timeEnd,
    })
  }
  return fields
}

export function refundAcceptedFields(refund: RefundRecord): AnswerFields {
  return {
    transaction_id: refund.transactionId,
    out_trade_no: refund.outTradeNo,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_fee: refund.refundFee,
    total_fee: refund.totalFee,
    cash_fee: refund.totalFee,
    cash_refund_fee: refund.refundFee,
  }
}

export function refundQueryFields(ctx: PayContext, trade: TradeRecord, refunds: readonly RefundRecord[]): AnswerFields {
  const fields: AnswerFields = {
    transaction_id: trade.transactionId ?? '',
    out_trade_no: trade.outTradeNo,
    total_fee: trade.totalFee,
    cash_fee: trade.totalFee,
    refund_fee: refunds.reduce((sum, r) => sum + r.refundFee, 0),
    refund_count: refunds.length,
  }
  refunds.forEach((r, n) => {
    const status = refundStatus(ctx, r)
    fields[`out_refund_no_${n}`] = r.outRefundNo
    fields[`refund_id_${n}`] = r.refundId
    fields[`refund_channel_${n}`] = 'ORIGINAL'
    fields[`refund_fee_${n}`] = r.refundFee
    fields[`refund_status_${n}`] = status
    fields[`refund_account_${n}`] = 'REFUND_SOURCE_UNSETTLED_FUNDS'
    fields[`refund_recv_accout_${n}`] = '支付用户的零钱'
    if (status === 'SUCCESS') fields[`refund_success_time_${n}`] = beijingDateTime(r.settleAt)
  })
  return fields
}
