// The platform's side of 小程序发货信息管理服务: which paid trades have had their shipment
// uploaded, the one re-shipping chance, and the shopper's confirmation of receipt. Trades come
// from the pay simulator's `_sim_trades`; uploads are kept in `_sim_shipping`, in the same
// durable database, so they survive a restart like every other local-cloud state.
import type { Engine } from '../db/engine'
import { isPaid } from '../pay/orders'
import { REFUNDS, TRADES, parseRefund, parseTrade, type TradeRecord } from '../pay/records'
import { ERR, parseShippingRequest, refuse, type ShippingRequest, type WxAnswer } from './shippingRequest'

export const SHIPPING = '_sim_shipping'

export type ShippingUpload = Omit<ShippingRequest, 'orderKey'> & { receivedAt: number }

export interface ShippingRecord {
  /** The trade's `_id` in `_sim_trades`. */
  _id: string
  transactionId: string
  mchId: string
  outTradeNo: string
  openid: string
  /** Every accepted upload, oldest first: the first shipment, then at most one re-shipment. */
  uploads: ShippingUpload[]
  shippedAt: number
  confirmedAt?: number
  confirmMethod?: 1 | 2
}

export type ReceiptOrder = { transactionId: string } | { mchId: string; outTradeNo: string }

export class ShippingDeskError extends Error {}

export class ShippingDesk {
  constructor(
    private readonly engine: Engine,
    private readonly now: () => number,
  ) {}

  /** Production requires collections to exist; so does the emulator. */
  async prepare(): Promise<void> {
    if (!this.engine.hasCollection(SHIPPING)) await this.engine.createCollection(SHIPPING)
  }

  /**
   * `wxa.sec.order.uploadShippingInfo`. Checks and records in one synchronous step, so two
   * concurrent uploads of one order cannot both take the same chance; answers once durable.
   */
  async upload(body: unknown): Promise<WxAnswer> {
    const outcome = this.uploadNow(body)
    if ('written' in outcome) {
      await outcome.written
      return refuse(0, 'ok')
    }
    await this.engine.durable()
    return outcome
  }

  private uploadNow(body: unknown): WxAnswer | { written: Promise<void> } {
    const parsed = parseShippingRequest(body)
    if ('refusal' in parsed) return parsed.refusal
    const { orderKey, ...upload } = parsed.request
    const trade = orderKey.kind === 'transaction' ? this.tradeByTransaction(orderKey.transactionId) : this.tradeByMerchant(orderKey.mchId, orderKey.outTradeNo)
    // Unpaid trades never reach the shipping service (it only receives paid ones).
    if (!trade || !isPaid(trade.tradeState) || !trade.transactionId) return refuse(ERR.ORDER_NOT_FOUND, '支付单不存在')
    if (this.refundedInFull(trade)) return refuse(ERR.NOT_SHIPPABLE, '支付单处于不可发货的状态')
    if (upload.payerOpenid !== trade.openid) return refuse(ERR.PAYER_MISMATCH, '该笔支付单不属于 openid 所指定的用户')
    const existing = this.record(trade._id)
    const receivedAt = this.now()
    if (existing) {
      if (existing.confirmedAt !== undefined) return refuse(ERR.NOT_SHIPPABLE, '支付单处于不可发货的状态')
      if (existing.uploads.length >= 2) return refuse(ERR.RESHIP_USED, '支付单已使用重新发货机会')
      const last = existing.uploads[existing.uploads.length - 1]!
      // "如果要更新物流信息，上传时间必须比之前的请求更新" — the code for an older one is a guess.
      if (upload.uploadTime <= last.uploadTime) return refuse(ERR.DATA_FORMAT, 'data format error, hint: upload_time must be later than the previous upload')
      return { written: this.save({ ...existing, uploads: [...existing.uploads, { ...upload, receivedAt }] }) }
    }
    const written = this.save({
      _id: trade._id,
      transactionId: trade.transactionId,
      mchId: trade.mchId,
      outTradeNo: trade.outTradeNo,
      openid: trade.openid,
      uploads: [{ ...upload, receivedAt }],
      shippedAt: receivedAt,
    })
    return { written }
  }

  /** The recorded shipment of a trade, if any. */
  async find(order: ReceiptOrder): Promise<ShippingRecord | undefined> {
    const trade = 'transactionId' in order ? this.tradeByTransaction(order.transactionId) : this.tradeByMerchant(order.mchId, order.outTradeNo)
    const found = trade ? this.record(trade._id) : undefined
    await this.engine.durable()
    return found
  }

  /**
   * The shopper confirmed receipt in WeChat (method 2; 1 = confirmed automatically when the
   * period ran out): marks the shipment settled and returns the `trade_manage_order_settlement`
   * event the platform pushes.
   */
  async confirmReceipt(order: ReceiptOrder, method: 1 | 2 = 2): Promise<Record<string, unknown>> {
    const trade = 'transactionId' in order ? this.tradeByTransaction(order.transactionId) : this.tradeByMerchant(order.mchId, order.outTradeNo)
    const record = trade && this.record(trade._id)
    if (!trade || !record) throw new ShippingDeskError('no shipment was uploaded for this order')
    if (record.confirmedAt !== undefined) throw new ShippingDeskError('receipt of this order was already confirmed')
    const at = this.now()
    await this.save({ ...record, confirmedAt: at, confirmMethod: method })
    const seconds = (ms: number) => Math.floor(ms / 1000)
    return {
      ToUserName: 'gh_local_cloud',
      FromUserName: trade.openid,
      CreateTime: seconds(at),
      MsgType: 'event',
      Event: 'trade_manage_order_settlement',
      transaction_id: record.transactionId,
      merchant_id: trade.mchId,
      sub_merchant_id: '',
      merchant_trade_no: record.outTradeNo,
      pay_time: seconds(trade.paidAt ?? trade.updatedAt),
      shipped_time: seconds(record.shippedAt),
      confirm_receive_method: method,
      confirm_receive_time: seconds(at),
      settlement_time: seconds(at),
    }
  }

  /** Applied in memory at once (so the next check sees it); resolves when durable. */
  private save(record: ShippingRecord): Promise<void> {
    const { _id, ...data } = record
    return this.engine.replace(SHIPPING, _id, JSON.parse(JSON.stringify(data)) as Record<string, unknown>).written
  }

  private record(id: string): ShippingRecord | undefined {
    return this.engine.getById(SHIPPING, id)?.doc as ShippingRecord | undefined
  }

  private tradeByTransaction(transactionId: string): TradeRecord | undefined {
    return this.engine
      .find(TRADES, { transactionId })
      .map(parseTrade)
      .find((t) => t !== undefined)
  }

  /** `mchid` is the merchant the trade was placed under: for cloudPay, `sub_mch_id`. */
  private tradeByMerchant(mchId: string, outTradeNo: string): TradeRecord | undefined {
    return this.engine
      .find(TRADES, { mchId, outTradeNo })
      .map(parseTrade)
      .find((t) => t !== undefined)
  }

  private refundedInFull(trade: TradeRecord): boolean {
    const refunded = this.engine
      .find(REFUNDS, { tradeId: trade._id })
      .map(parseRefund)
      .reduce((sum, refund) => sum + (refund?.refundFee ?? 0), 0)
    return refunded >= trade.totalFee
  }
}
