// Trade rules shared by cloudPay and APIv2: place (idempotently), find, close.
import { CLOSE_MIN_AGE_MS, MIN_TIME_EXPIRE_MS, PREPAY_TTL_MS, scaled, type PayContext } from './context'
import { Refusal, RETURN_MSG } from './errors'
import { newPrepayId, parseBeijingCompact } from './ids'
import { tradeLock } from './ledger'
import { tradeId, type NotifyTarget, type RefundRecord, type TradeMode, type TradeRecord, type TradeState } from './records'
import type { SignType } from '../../payment/protocol/sign'

export interface OrderRequest {
  mode: TradeMode
  mchId: string
  appid: string
  outTradeNo: string
  body: string
  attach?: string
  totalFee: number
  spbillCreateIp: string
  openid: string
  timeExpire?: string
  signType: SignType
  notify: NotifyTarget
}

/** Same out_trade_no with these unchanged is the same order (same prepay_id). */
function fingerprint(req: OrderRequest): string {
  const { appid, body, attach, totalFee, openid, timeExpire, notify } = req
  return JSON.stringify([appid, body, attach ?? '', totalFee, openid, timeExpire ?? '', notify])
}

export function isPaid(state: TradeState): boolean {
  return state === 'SUCCESS' || state === 'REFUND'
}

/** A paid trade reads as REFUND once a refund was accepted. */
export function effectiveState(trade: TradeRecord, refunds: readonly RefundRecord[]): TradeState {
  return trade.tradeState === 'SUCCESS' && refunds.length > 0 ? 'REFUND' : trade.tradeState
}

export function refundsOf(ctx: PayContext, trade: TradeRecord): RefundRecord[] {
  return ctx.ledger.refundsOfTrade(trade._id)
}

export function placeOrder(ctx: PayContext, req: OrderRequest): Promise<TradeRecord> {
  return ctx.ledger.exclusive([tradeLock(req.outTradeNo)], async () => {
    const now = ctx.clock.now()
    const id = tradeId(req.mode, req.mchId, req.outTradeNo)
    const print = fingerprint(req)
    const existing = ctx.ledger.trade(id)
    if (existing) {
      if (isPaid(existing.tradeState)) throw Refusal.resultFail('ORDERPAID', '该订单已支付')
      if (existing.tradeState === 'CLOSED') throw Refusal.resultFail('ORDERCLOSED', '该订单已关闭')
      if (existing.fingerprint !== print) throw Refusal.resultFail('OUT_TRADE_NO_USED', '商户订单号重复')
      if (now - existing.prepayIssuedAt < PREPAY_TTL_MS) return existing
      const renewed: TradeRecord = { ...existing, prepayId: newPrepayId(now), prepayIssuedAt: now, updatedAt: now }
      await ctx.ledger.saveTrade(renewed)
      return renewed
    }
    if (req.timeExpire !== undefined) {
      const expiresAt = parseBeijingCompact(req.timeExpire)
      if (expiresAt === undefined) throw Refusal.returnFail(RETURN_MSG.format('time_expire'))
      if (expiresAt - now < MIN_TIME_EXPIRE_MS) {
        throw Refusal.resultFail('PARAM_ERROR', 'time_expire时间过短，刷卡至少1分钟，其他5分钟')
      }
    }
    const trade: TradeRecord = {
      _id: id,
      mode: req.mode,
      mchId: req.mchId,
      appid: req.appid,
      outTradeNo: req.outTradeNo,
      openid: req.openid,
      body: req.body,
      ...(req.attach !== undefined ? { attach: req.attach } : {}),
      totalFee: req.totalFee,
      tradeType: 'JSAPI',
      spbillCreateIp: req.spbillCreateIp,
      ...(req.timeExpire !== undefined ? { timeExpire: req.timeExpire } : {}),
      signType: req.signType,
      notify: req.notify,
      fingerprint: print,
      prepayId: newPrepayId(now),
      prepayIssuedAt: now,
      createdAt: now,
      updatedAt: now,
      tradeState: 'NOTPAY',
    }
    await ctx.ledger.saveTrade(trade)
    return trade
  })
}

export interface TradeLookup {
  outTradeNo?: string
  transactionId?: string
}

/** transaction_id wins over out_trade_no, as in the real service. */
export function findTrade(ctx: PayContext, mode: TradeMode, mchId: string, by: TradeLookup): TradeRecord | undefined {
  if (by.transactionId !== undefined) return ctx.ledger.findTradeByTransactionId(mode, mchId, by.transactionId)
  if (by.outTradeNo !== undefined) return ctx.ledger.trade(tradeId(mode, mchId, by.outTradeNo))
  return undefined
}

export function closeOrder(ctx: PayContext, mode: TradeMode, mchId: string, outTradeNo: string): Promise<TradeRecord> {
  return ctx.ledger.exclusive([tradeLock(outTradeNo)], async () => {
    const trade = ctx.ledger.trade(tradeId(mode, mchId, outTradeNo))
    if (!trade) throw Refusal.resultFail('ORDERNOTEXIST', '订单不存在')
    if (isPaid(trade.tradeState)) throw Refusal.resultFail('ORDERPAID', '订单已支付，不能发起关单')
    if (trade.tradeState === 'CLOSED') throw Refusal.resultFail('ORDERCLOSED', '订单已关闭，无法重复关闭')
    const now = ctx.clock.now()
    if (now - trade.createdAt < scaled(ctx, CLOSE_MIN_AGE_MS)) {
      throw Refusal.resultFail('SYSTEMERROR', '订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟')
    }
    const closed: TradeRecord = { ...trade, tradeState: 'CLOSED', updatedAt: now }
    await ctx.ledger.saveTrade(closed)
    return closed
  })
}
