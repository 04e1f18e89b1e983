// The five pay APIs, over parameters already authenticated by their transport (cloudPay or APIv2).
import { orderQueryFields, refundAcceptedFields, refundQueryFields, type AnswerFields, type ServiceProvider } from './answers'
import type { PayContext } from './context'
import type { Deliverer } from './delivery'
import { Refusal, RETURN_MSG } from './errors'
import { closeOrder, findTrade, placeOrder } from './orders'
import { OUT_REFUND_NO, OUT_TRADE_NO, TIME_COMPACT, type ParamReader } from './params'
import type { NotifyTarget, TradeMode, TradeRecord } from './records'
import { findRefunds, requestRefund, type RefundNotifier } from './refunds'
import type { SignType } from '../../payment/protocol/sign'

/** Who is asking and how their callbacks are named: one per request. */
export interface Channel {
  mode: TradeMode
  mchId: string
  appid: string
  signType: SignType
  /** Where payment callbacks go: function_name (cloudPay) or notify_url (APIv2). */
  orderNotify(p: ParamReader): NotifyTarget
  refundNotify(p: ParamReader): NotifyTarget | undefined
  openid(p: ParamReader): string | undefined
}

export interface OperationsEnv {
  ctx: PayContext
  provider: ServiceProvider
  refundNotifier: RefundNotifier
  deliverer: Deliverer
}

const ANY_TRADE_NO = { maxBytes: 32 }

export async function unifiedOrder(env: OperationsEnv, ch: Channel, p: ParamReader): Promise<TradeRecord> {
  const body = p.text('body', { maxBytes: 128 })
  const outTradeNo = p.text('out_trade_no', { pattern: OUT_TRADE_NO })
  const totalFee = p.fen('total_fee')
  const spbillCreateIp = p.ip('spbill_create_ip')
  const tradeType = ch.mode === 'merchant' ? p.text('trade_type') : (p.optText('trade_type') ?? 'JSAPI')
  if (tradeType !== 'JSAPI') throw Refusal.resultFail('PARAM_ERROR', `模拟器只支持trade_type=JSAPI，收到${tradeType}`)
  const feeType = p.optText('fee_type')
  if (feeType !== undefined && feeType !== 'CNY') throw Refusal.returnFail(RETURN_MSG.format('fee_type'))
  const attach = p.optText('attach', { maxBytes: 127 })
  p.optText('detail', { maxBytes: 6000 })
  const timeExpire = p.optText('time_expire', { pattern: TIME_COMPACT })
  const notify = ch.orderNotify(p)
  const openid = ch.openid(p)
  if (openid === undefined) throw Refusal.returnFail('JSAPI支付必须传openid')
  return placeOrder(env.ctx, {
    mode: ch.mode,
    mchId: ch.mchId,
    appid: ch.appid,
    outTradeNo,
    body,
    ...(attach !== undefined ? { attach } : {}),
    totalFee,
    spbillCreateIp,
    openid,
    ...(timeExpire !== undefined ? { timeExpire } : {}),
    signType: ch.signType,
    notify,
  })
}

function tradeLookup(p: ParamReader): { outTradeNo?: string; transactionId?: string } {
  const transactionId = p.optText('transaction_id', ANY_TRADE_NO)
  const outTradeNo = p.optText('out_trade_no', ANY_TRADE_NO)
  if (transactionId === undefined && outTradeNo === undefined) throw Refusal.returnFail(RETURN_MSG.lackParams)
  return { ...(transactionId !== undefined ? { transactionId } : {}), ...(outTradeNo !== undefined ? { outTradeNo } : {}) }
}

export function queryOrder(env: OperationsEnv, ch: Channel, p: ParamReader): AnswerFields {
  const trade = findTrade(env.ctx, ch.mode, ch.mchId, tradeLookup(p))
  if (!trade) throw Refusal.resultFail('ORDERNOTEXIST', '此交易订单号不存在')
  return orderQueryFields(env.ctx, trade, env.provider)
}

export async function closeOrderOp(env: OperationsEnv, ch: Channel, p: ParamReader): Promise<AnswerFields> {
  await closeOrder(env.ctx, ch.mode, ch.mchId, p.text('out_trade_no', ANY_TRADE_NO))
  return { result_msg: 'OK' }
}

export async function refund(env: OperationsEnv, ch: Channel, p: ParamReader): Promise<AnswerFields> {
  const lookup = tradeLookup(p)
  const outRefundNo = p.text('out_refund_no', { pattern: OUT_REFUND_NO })
  const totalFee = p.fen('total_fee')
  const refundFee = p.fen('refund_fee')
  p.optText('refund_desc', { maxBytes: 80 })
  const notify = ch.refundNotify(p)
  const accepted = await requestRefund(
    env.ctx,
    { mode: ch.mode, mchId: ch.mchId, ...lookup, outRefundNo, totalFee, refundFee, ...(notify ? { notify } : {}) },
    env.refundNotifier,
  )
  if (accepted.notification) env.deliverer.schedule(accepted.notification)
  return refundAcceptedFields(accepted.refund)
}

export function queryRefund(env: OperationsEnv, ch: Channel, p: ParamReader): AnswerFields {
  const refundId = p.optText('refund_id', { maxBytes: 32 })
  const outRefundNo = p.optText('out_refund_no', { maxBytes: 64 })
  const transactionId = p.optText('transaction_id', ANY_TRADE_NO)
  const outTradeNo = p.optText('out_trade_no', ANY_TRADE_NO)
  if ([refundId, outRefundNo, transactionId, outTradeNo].every((v) => v === undefined)) {
    throw Refusal.returnFail(RETURN_MSG.lackParams)
  }
  const { trade, refunds } = findRefunds(env.ctx, ch.mode, ch.mchId, {
    ...(refundId !== undefined ? { refundId } : {}),
    ...(outRefundNo !== undefined ? { outRefundNo } : {}),
    ...(transactionId !== undefined ? { transactionId } : {}),
    ...(outTradeNo !== undefined ? { outTradeNo } : {}),
  })
  return refundQueryFields(env.ctx, trade, refunds)
}
