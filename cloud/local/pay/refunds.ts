// Refund rules shared by cloudPay and APIv2.
import { MAX_REFUNDS_PER_TRADE, REFUND_SETTLE_MS, REFUND_WINDOW_MS, scaled, type PayContext } from './context'
import { Refusal } from './errors'
import { newRefundId } from './ids'
import { notificationLock, refundLock, tradeLock } from './ledger'
import { findTrade, isPaid, refundsOf, type TradeLookup } from './orders'
import { refundKey, type NotificationRecord, type NotifyTarget, type RefundRecord, type TradeMode, type TradeRecord } from './records'

export interface RefundRequest extends TradeLookup {
  mode: TradeMode
  mchId: string
  outRefundNo: string
  totalFee: number
  refundFee: number
  notify?: NotifyTarget
}

export interface RefundAccepted {
  trade: TradeRecord
  refund: RefundRecord
  /** Set when this call created (or repaired) the refund's notification. */
  notification?: NotificationRecord
}

export type RefundNotifier = (trade: TradeRecord, refund: RefundRecord) => NotificationRecord | undefined

const AMOUNT_MISMATCH = '订单金额或退款金额与之前请求不一致，请核实后再试'

/**
 * Holds the refund's own lock (the same out_refund_no may be asked for on two trades) and its
 * trade's: every refund of a trade is decided under it, so `remaining` below cannot be spent
 * twice. The trade is found before its lock is held (by transaction_id it has no other key); in
 * the unlikely case the lookup answers differently once the lock is held, it starts again.
 */
export async function requestRefund(ctx: PayContext, req: RefundRequest, notifier: RefundNotifier): Promise<RefundAccepted> {
  const key = refundKey(req.mode, req.mchId, req.outRefundNo)
  for (;;) {
    const guess = findTrade(ctx, req.mode, req.mchId, req)
    const tradeLocks = [req.outTradeNo, guess?.outTradeNo].flatMap((no) => (no === undefined ? [] : [tradeLock(no)]))
    const locks = [...tradeLocks, refundLock(key), notificationLock(`refund:${key}`)]
    const outcome = await ctx.ledger.exclusive(locks, async () => {
      const trade = findTrade(ctx, req.mode, req.mchId, req)
      if (trade && !tradeLocks.includes(tradeLock(trade.outTradeNo))) return undefined
      return refundLocked(ctx, req, key, trade, notifier)
    })
    if (outcome) return outcome
  }
}

async function refundLocked(
  ctx: PayContext,
  req: RefundRequest,
  key: string,
  trade: TradeRecord | undefined,
  notifier: RefundNotifier,
): Promise<RefundAccepted> {
  // Unpaid orders cannot be refunded: the real service answers as if there were no order.
  if (!trade || !isPaid(trade.tradeState)) throw Refusal.resultFail('ORDERNOTEXIST', '订单号不存在')
  const existing = ctx.ledger.refund(key)
  if (existing) {
    const same = existing.tradeId === trade._id && existing.totalFee === req.totalFee && existing.refundFee === req.refundFee
    if (!same) throw Refusal.resultFail('INVALID_REQUEST', AMOUNT_MISMATCH)
    return { trade, refund: existing, ...(await repairNotification(ctx, trade, existing, notifier)) }
  }
  if (req.totalFee !== trade.totalFee) throw Refusal.resultFail('INVALID_REQUEST', AMOUNT_MISMATCH)
  const now = ctx.clock.now()
  if (now - (trade.paidAt ?? trade.createdAt) > REFUND_WINDOW_MS) {
    throw Refusal.resultFail('TRADE_OVERDUE', '订单已经超过退款期限')
  }
  const previous = refundsOf(ctx, trade)
  const remaining = trade.totalFee - previous.reduce((sum, r) => sum + r.refundFee, 0)
  if (remaining <= 0) throw Refusal.resultFail('INVALID_REQUEST', '订单已全额退款')
  if (req.refundFee > remaining) throw Refusal.resultFail('INVALID_REQUEST', '申请退款金额超过订单可退金额')
  if (previous.length >= MAX_REFUNDS_PER_TRADE) throw Refusal.resultFail('INVALID_REQUEST', '订单退款次数超过限制')
  const refund: RefundRecord = {
    _id: key,
    mode: req.mode,
    mchId: req.mchId,
    tradeId: trade._id,
    outTradeNo: trade.outTradeNo,
    transactionId: trade.transactionId ?? '',
    outRefundNo: req.outRefundNo,
    refundId: newRefundId(now),
    totalFee: req.totalFee,
    refundFee: req.refundFee,
    createdAt: now,
    settleAt: now + scaled(ctx, REFUND_SETTLE_MS),
    ...(req.notify ? { notify: req.notify } : {}),
  }
  // The refund document alone records the refund (answers derive REFUND from it), so a crash
  // between the writes below loses nothing a retry or resume() cannot repair. The trade is
  // updated too only so that the stored document reads true.
  await ctx.ledger.saveRefund(refund)
  const refunded: TradeRecord = trade.tradeState === 'REFUND' ? trade : { ...trade, tradeState: 'REFUND', updatedAt: now }
  if (refunded !== trade) await ctx.ledger.saveTrade(refunded)
  return { trade: refunded, refund, ...(await repairNotification(ctx, refunded, refund, notifier)) }
}

async function repairNotification(ctx: PayContext, trade: TradeRecord, refund: RefundRecord, notifier: RefundNotifier) {
  const notification = notifier(trade, refund)
  if (!notification || ctx.ledger.notification(notification._id)) return {}
  await ctx.ledger.saveNotification(notification)
  return { notification }
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS'

export function refundStatus(ctx: PayContext, refund: RefundRecord): RefundStatus {
  return ctx.clock.now() >= refund.settleAt ? 'SUCCESS' : 'PROCESSING'
}

export interface RefundLookup extends TradeLookup {
  refundId?: string
  outRefundNo?: string
}

/** refund_id, then out_refund_no, then the trade's ids, as the real refundquery does. */
export function findRefunds(ctx: PayContext, mode: TradeMode, mchId: string, by: RefundLookup): { trade: TradeRecord; refunds: RefundRecord[] } {
  let refunds: RefundRecord[] = []
  let trade: TradeRecord | undefined
  if (by.refundId !== undefined || by.outRefundNo !== undefined) {
    const refund =
      by.refundId !== undefined ? ctx.ledger.findRefundByRefundId(mode, mchId, by.refundId) : ctx.ledger.refund(refundKey(mode, mchId, by.outRefundNo ?? ''))
    trade = refund && ctx.ledger.trade(refund.tradeId)
    refunds = refund ? [refund] : []
  } else {
    trade = findTrade(ctx, mode, mchId, by)
    refunds = trade ? refundsOf(ctx, trade) : []
  }
  if (!trade || refunds.length === 0) throw Refusal.resultFail('REFUNDNOTEXIST', '退款订单查询失败')
  return { trade, refunds }
}
