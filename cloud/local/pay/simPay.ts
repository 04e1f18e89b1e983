// What the shopper's tap in the WeChat cashier does: settle the trade, then notify.
import type { PayContext } from './context'
import { PREPAY_TTL_MS } from './context'
import { PaySimError } from './errors'
import { beijingCompact, newTransactionId, parseBeijingCompact } from './ids'
import { tradeLock } from './ledger'
import { isPaid } from './orders'
import { OUT_TRADE_NO, isPlainRecord } from './params'
import type { NotificationRecord, TradeRecord, TradeState } from './records'

export interface SimPayInput {
  outTradeNo: string
  result: 'SUCCESS' | 'FAIL'
  /** Only needed when two merchants used the same out_trade_no. */
  mchId?: string
}

export function parseSimPayInput(input: unknown): SimPayInput {
  if (!isPlainRecord(input)) throw new PaySimError('INVALID_ARGUMENT', 'expected { outTradeNo, result }')
  const { outTradeNo, result, mchId } = input
  const problems: string[] = []
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo)) problems.push('outTradeNo must match [0-9A-Za-z_-]{6,32}')
  if (result !== 'SUCCESS' && result !== 'FAIL') problems.push("result must be 'SUCCESS' or 'FAIL'")
  if (mchId !== undefined && typeof mchId !== 'string') problems.push('mchId must be a string')
  if (problems.length > 0) throw new PaySimError('INVALID_ARGUMENT', problems.join('; '))
  return { outTradeNo: outTradeNo as string, result: result as 'SUCCESS' | 'FAIL', ...(typeof mchId === 'string' ? { mchId } : {}) }
}

export interface SimPaySettled {
  trade: TradeRecord
  /** The payment notification to deliver (successful payments only). */
  notification?: NotificationRecord
}

export function settleTrade(ctx: PayContext, input: SimPayInput, notify: (paid: TradeRecord, at: number) => NotificationRecord): Promise<SimPaySettled> {
  return ctx.ledger.exclusive([tradeLock(input.outTradeNo)], async () => {
    const matches = ctx.ledger.tradesByOutTradeNo(input.outTradeNo).filter((t) => input.mchId === undefined || t.mchId === input.mchId)
    if (matches.length === 0) throw new PaySimError('TRADE_NOT_FOUND', `no trade ${input.outTradeNo}`)
    if (matches.length > 1) throw new PaySimError('TRADE_AMBIGUOUS', `several merchants have trade ${input.outTradeNo}: pass mchId`)
    const trade = matches[0] as TradeRecord
    refuseUnpayable(ctx, trade)
    const now = ctx.clock.now()
    if (input.result === 'FAIL') {
      const failed: TradeRecord = { ...trade, tradeState: 'PAYERROR', updatedAt: now }
      await ctx.ledger.saveTrade(failed)
      return { trade: failed }
    }
    const paid: TradeRecord = {
      ...trade,
      tradeState: 'SUCCESS' satisfies TradeState,
      transactionId: newTransactionId(now),
      timeEnd: beijingCompact(now),
      paidAt: now,
      updatedAt: now,
    }
    const notification = notify(paid, now)
    await ctx.ledger.saveTrade(paid)
    await ctx.ledger.saveNotification(notification)
    return { trade: paid, notification }
  })
}

function refuseUnpayable(ctx: PayContext, trade: TradeRecord): void {
  if (isPaid(trade.tradeState)) throw new PaySimError('TRADE_ALREADY_PAID', `trade ${trade.outTradeNo} is already paid`)
  if (trade.tradeState === 'CLOSED') throw new PaySimError('TRADE_CLOSED', `trade ${trade.outTradeNo} is closed`)
  const now = ctx.clock.now()
  const expiresAt = trade.timeExpire !== undefined ? parseBeijingCompact(trade.timeExpire) : undefined
  if (expiresAt !== undefined && now >= expiresAt) throw new PaySimError('TRADE_EXPIRED', `trade ${trade.outTradeNo} expired at time_expire`)
  if (now - trade.prepayIssuedAt >= PREPAY_TTL_MS) {
    throw new PaySimError('TRADE_EXPIRED', `prepay_id of ${trade.outTradeNo} is over 2 hours old: call unifiedOrder again`)
  }
}
