import type { Fen } from './core/money'
import type { PaidFacts } from './core/payment'
import type { AfterSaleEntry } from './core/afterSale'
import type { Goods, PricedLine } from './core/cart'
import type { Fulfilment, FulfilmentState } from './core/fulfilment'
import type { OrderFilter } from './core/orderTabs'
import type { OrderStatus, TradeState } from './core/orderState'
import type { DeliveryAddress, PaymentParams, RefundStatus } from './contracts'
import type { ShipmentInput, ShippingOutcome } from './adapters/shippingInfo'

export type PayMode = 'cloudpay' | 'merchant'

export type OrderRecord = {
  _id: string
  outTradeNo: string
  _openid: string
  items: PricedLine[]
  totalFee: Fen
  status: OrderStatus
  mode: PayMode
  mchId: string
  tradeState?: TradeState
  transactionId?: string
  timeEnd?: string
  prepayId?: string
  payment?: PaymentParams
  gatewayError?: string
  /** The shopper's address when the order was made: a retried prepay must repeat it exactly. */
  clientIp?: string
  requestId?: string
  /** What the requestId stood for (cart, address, note): a repeat with anything else is refused. */
  requestFingerprint?: string
  /** The delivery address and note, snapshotted when ordered (absent on older orders and orders made without). */
  address?: DeliveryAddress
  note?: string
  /** Reserved by accepted refund requests (a conditional counter, so the sum can never exceed what was paid). */
  refundReservedFee: Fen
  /** Confirmed back to the shopper. */
  refundedFee: Fen
  refundsPending: number
  refunds: Record<string, RefundEntry>
  /** A payment that arrived after the order was closed: kept so it can be refunded, never lost. */
  latePayment?: { transactionId: string; totalFee: Fen; timeEnd?: string }
  /** Where the goods are (core/fulfilment.ts): PENDING from the update that marks the order paid; absent before. */
  fulfilment?: Fulfilment
  /** The shopper's after-sale requests by id (core/afterSale.ts). */
  afterSales: Record<string, AfterSaleEntry>
  /** The staff request that shipped it (function `staff`): a retry of that request is the same shipment. */
  shipRequestId?: string
  /** The shipment's upload to WeChat (发货信息录入), queued in the update that ships it (usecases/staffActions.ts `uploadShipment`). */
  shippingUpload?: ShippingUpload
  createdAt: Date
  updatedAt: Date
  expireAt: Date
}

export type RefundEntry = {
  outRefundNo: string
  refundFee: Fen
  status: RefundStatus
  requestedBy: string
  reason?: string
  failure?: string
  createdAt: Date
  settledAt?: Date
}

export type OrderPatch = Partial<Pick<OrderRecord, 'tradeState' | 'transactionId' | 'timeEnd' | 'prepayId' | 'payment' | 'gatewayError'>>

export type NewOrder = Omit<
  OrderRecord,
  'createdAt' | 'updatedAt' | 'refundReservedFee' | 'refundedFee' | 'refundsPending' | 'refunds' | 'afterSales' | 'fulfilment'
>

/**
 * `requestId`: the staff request shipping it, stored as `shipRequestId` in the same update.
 * `upload`: also queue its upload to WeChat (`shippingUpload` PENDING, no attempts) in that update,
 * so a crash right after shipping still leaves the upload for the reconcile timer.
 */
export type Shipment = { carrier: string; trackingNo: string; at: Date; requestId?: string; upload?: boolean }

/**
 * The shipment's upload to WeChat. PENDING: not accepted yet (the reconcile timer retries);
 * `claimedAt` while one caller is uploading it, so nobody else does meanwhile. UPLOADED: WeChat
 * has it. FAILED: refused for good (`lastError` says why; staff act).
 */
export type ShippingUpload = {
  state: 'PENDING' | 'UPLOADED' | 'FAILED'
  attempts: number
  claimedAt?: Date
  lastError?: string
  uploadedAt?: Date
}

/** The shipment facts one upload sends (adapters/shippingInfo.ts builds and classifies the call). */
/** WeChat's 发货信息录入 (the facts sent and the answers: adapters/shippingInfo.ts) (`wxa.sec.order.uploadShippingInfo`); never throws. */
export interface ShippingPort {
  upload(input: ShipmentInput): Promise<ShippingOutcome>
}

/** What reconcile looks at and notes it looked at, so that one it cannot resolve does not block the rest. */
export type CheckMark = 'reconciledAt' | 'refundsCheckedAt' | 'cancelCheckedAt'

export interface OrderRepository {
  /** Writes a new order; 'exists' when one with this outTradeNo is already there (nothing written). */
  insert(order: NewOrder): Promise<'inserted' | 'exists'>
  get(outTradeNo: string): Promise<OrderRecord | null>
  /** The shopper's orders in `filter` (core/orderTabs), newest first, after `cursor` (keyset paging on `_id`). */
  listByOpenid(openid: string, cursor: string | undefined, limit: number, filter?: OrderFilter): Promise<OrderRecord[]>
  /**
   * One conditional update to `to`, applied only while the order is in a status the transition
   * table allows (`sourcesOf(to)` in core/orderState) and, with `guard`, only while the refunded
   * total is exactly that. True when it did. Becoming SUCCESS also starts the fulfilment
   * (PENDING, core/fulfilment) in the same update.
   */
  transition(outTradeNo: string, to: OrderStatus, patch: OrderPatch, guard?: { refundedFee: Fen }): Promise<boolean>
  /**
   * `from` → SUCCESS in one conditional update that also holds every check a payment must pass
   * (core/payment `decidePaid`): applied only while the order is still `from` and its stored
   * amount and merchant are exactly the paid ones. Stores the transaction (and its time) and starts
   * the fulfilment (PENDING) in the same update. True when it did; false says nothing about why.
   */
  markPaid(outTradeNo: string, from: OrderStatus, paid: PaidFacts): Promise<boolean>
  /** Sets fields without changing the status, only while the status is still `whileIn`. */
  patch(outTradeNo: string, whileIn: OrderStatus, patch: OrderPatch): Promise<boolean>
  /** Unpaid orders created before `before`, least recently reconciled first. */
  listUnpaid(before: Date, limit: number): Promise<OrderRecord[]>
  /** Orders with refunds still PROCESSING, least recently checked first. */
  listWithPendingRefunds(limit: number): Promise<OrderRecord[]>
  /** Notes that reconcile looked at the order, so one it cannot resolve does not block the rest. */
  markChecked(outTradeNo: string, what: CheckMark): Promise<void>
  /**
   * One conditional update: adds the refund only if it is new, the order is still in `expect.status`
   * and the reserved total stays within `expect.paidFee` (core/refund `paidAmount`). Puts the
   * order in after-sale (core/orderTabs `isInAfterSale`).
   */
  reserveRefund(outTradeNo: string, entry: RefundEntry, expect: { status: OrderStatus; paidFee: Fen }): Promise<boolean>
  /**
   * PROCESSING → SUCCESS (counting the money) or FAILED (releasing the reservation); also
   * FAILED → SUCCESS (reserving and counting again) when the gateway says the money went back
   * after all. False when nothing changed.
   */
  settleRefund(
    outTradeNo: string,
    outRefundNo: string,
    refundFee: Fen,
    outcome: { status: 'SUCCESS' } | { status: 'FAILED'; failure: string },
  ): Promise<boolean>
  /** Records a payment on a CLOSED order, once. */
  recordLatePayment(outTradeNo: string, late: NonNullable<OrderRecord['latePayment']>): Promise<boolean>
  /**
   * Fulfilment changes (core/fulfilment.ts), each one conditional update on the fulfilment state
   * the table allows and the order status it needs; true when it changed the order.
   * PENDING → SHIPPED with the carrier, tracking number and when (staff; tests).
   */
  markShipped(outTradeNo: string, shipment: Shipment): Promise<boolean>
  /** SHIPPED → RECEIVED, by the shopper or (`auto`) by the reconcile timer. */
  confirmReceipt(outTradeNo: string, receipt: { at: Date; auto: boolean }): Promise<boolean>
  /** PENDING → CANCELLED, before its refund; puts the order in after-sale. */
  cancelFulfilment(outTradeNo: string, at: Date): Promise<boolean>
  /** Shipped at or before `shippedBy` and not yet received, longest shipped first. */
  listShippedBefore(shippedBy: Date, limit: number): Promise<OrderRecord[]>
  /**
   * One conditional update of the shipping upload: applied only while it is still PENDING with
   * exactly `expect.attempts` attempts (so of two callers, one wins); `to` replaces it whole.
   */
  updateShippingUpload(outTradeNo: string, expect: { attempts: number }, to: ShippingUpload): Promise<boolean>
  /** Orders whose shipping upload is PENDING, longest shipped first. */
  listPendingShippingUploads(limit: number): Promise<OrderRecord[]>
  /**
   * SUCCESS orders cancelled before shipping with no refund in flight: the cancel's refund may
   * not be reserved yet (a crash, a lost answer). Least recently checked first.
   */
  listCancelledUnrefunded(limit: number): Promise<OrderRecord[]>
  /**
   * One conditional update: adds the after-sale request only if its id is new, the order is
   * shipped or received, SUCCESS with less than `expect.paidFee` reserved for refunds, and no
   * other request is PENDING (core/afterSale `afterSaleRefusal`). Puts the order in after-sale.
   */
  fileAfterSale(outTradeNo: string, entry: AfterSaleEntry, expect: { paidFee: Fen }): Promise<boolean>
}

/** What the staff order list filters on; each field narrows it (all of them: and). */
export type StaffOrderQuery = {
  status?: OrderStatus
  fulfilment?: FulfilmentState
  /** createdAt ≥ from, createdAt < to. */
  from?: Date
  to?: Date
  outTradeNo?: string
  /** The recipient's mobile, exactly. */
  mobile?: string
}

/** The sums of the staff order list's filter, read from at most `limit` orders (newest first). */
export type StaffOrderTotals = { orders: number; paidFee: Fen; refundedFee: Fen; capped: boolean }

/** Staff decide an after-sale request: APPROVED (with the refund it made) or REJECTED with a reply. */
export type AfterSaleDecision = { state: 'APPROVED' | 'REJECTED'; decidedAt: Date; reply?: string; outRefundNo?: string }

/** The staff console's reads and its one after-sale write, beside `OrderRepository` on the same collection. */
export interface StaffOrders {
  /** Orders matching `query`, newest first (keyset paging on `_id`, after `cursor`). */
  listForStaff(query: StaffOrderQuery, cursor: string | undefined, limit: number): Promise<OrderRecord[]>
  /** Counts and sums the orders matching `query`, reading at most `limit` of them; `capped` when there are more. */
  totalsForStaff(query: StaffOrderQuery, limit: number): Promise<StaffOrderTotals>
  /**
   * One conditional update: the request `id`, only while PENDING, becomes APPROVED or REJECTED
   * with `decidedAt` (and the reply), and `afterSalePending` goes false. True when it changed.
   */
  decideAfterSale(outTradeNo: string, id: string, decision: AfterSaleDecision): Promise<boolean>
}

/** One staff action in `staff_audit`, `_id` = its requestId: written once, never changed. */
export type StaffAuditRecord = {
  requestId: string
  staff: string
  action: 'ship' | 'refund' | 'afterSale'
  outTradeNo: string
  /** The parsed input (no secrets: staff send none). */
  input: Record<string, unknown>
  /** `ok`, or the error code a definite refusal answered. */
  outcome: string
  at: Date
}

export interface StaffAudit {
  /** Inserts once per requestId; 'exists' when that request is recorded already (nothing written). */
  record(entry: StaffAuditRecord): Promise<'inserted' | 'exists'>
  get(requestId: string): Promise<StaffAuditRecord | null>
  /** The order's staff actions, oldest first, at most `limit`. */
  listFor(outTradeNo: string, limit: number): Promise<StaffAuditRecord[]>
}

/** `payment_events` read back, oldest first, for the staff timeline. */
export interface PaymentHistory {
  listFor(outTradeNo: string, limit: number): Promise<Array<PaymentEvent & { receivedAt: Date }>>
}

/** Client request ids → the order they made, so a retried createOrder finds its first attempt. */
export interface OrderRequests {
  /** Claims the id for `outTradeNo`; answers the outTradeNo that holds it (this one, or an earlier one). */
  claim(openid: string, requestId: string, outTradeNo: string, fingerprint: string): Promise<{ outTradeNo: string; fingerprint: string }>
}

export interface GoodsRepository {
  findByIds(ids: string[]): Promise<Goods[]>
  /**
   * Goods on sale after `cursor` by id, from at most `limit` documents. `scanned` counts the
   * documents read (malformed ones are skipped), `lastId` is the last one's id, for paging.
   */
  listOnSale(cursor: string | undefined, limit: number): Promise<{ goods: Goods[]; scanned: number; lastId?: string }>
}

/** `failed`: a temporary fault stopped the handling; WeChat Pay will deliver it again. */
export type EventDecision = 'applied' | 'duplicate' | 'rejected' | 'no_change' | 'needs_refund' | 'failed'

export type PaymentEvent = {
  kind: 'payment_notify' | 'payment_query' | 'refund_request' | 'refund_notify' | 'refund_query' | 'close'
  mode: PayMode
  source: string
  outTradeNo: string | null
  decision: EventDecision
  reason: string
  /** The notification as received (for the merchant path, the XML fields), secrets excluded. */
  raw: Record<string, unknown>
  transition?: { from: OrderStatus; to: OrderStatus }
}

export interface EventLog {
  record(event: PaymentEvent): Promise<void>
}

export type UnifiedOrderRequest = {
  outTradeNo: string
  totalFee: Fen
  body: string
  openid: string
  clientIp: string
  /** yyyyMMddHHmmss, Beijing time */
  timeExpire: string
}

export type TradeQueryResult =
  { found: false } | { found: true; tradeState: TradeState; mchId: string; totalFee?: Fen; transactionId?: string; timeEnd?: string }

export type CloseResult = { closed: true } | { closed: false; reason: 'paid' | 'too_early' | 'not_found' | 'refused'; detail: string }

export type RefundRequest = { outTradeNo: string; outRefundNo: string; totalFee: Fen; refundFee: Fen }

export type RefundState = 'SUCCESS' | 'PROCESSING' | 'CHANGE' | 'REFUNDCLOSE'
export type RefundQueryResult = { found: false } | { found: true; status: RefundState; refundFee: Fen }

export interface PayGateway {
  readonly mode: PayMode
  /** The merchant number payments go to: must match every notification and query. */
  readonly mchId: string
  unifiedOrder(request: UnifiedOrderRequest): Promise<{ prepayId: string; payment: PaymentParams }>
  queryOrder(outTradeNo: string): Promise<TradeQueryResult>
  /** WeChat refuses to close an order in its first 5 minutes, and a paid one ever. */
  closeOrder(outTradeNo: string): Promise<CloseResult>
  /** Throws CONFIG_ERROR when refunds cannot work with this configuration (checked before reserving one). */
  assertCanRefund(): void
  /** Accepted is not refunded: the refund callback (or a query) says when the money went back. */
  refund(request: RefundRequest): Promise<void>
  queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundQueryResult>
}

export type Clock = { now(): number }

/**
 * Why a payment notification nobody could authenticate was refused: a closed set, so that junk
 * sent to the public trigger is counted per minute and reason, never stored one document a call.
 */
export type JunkReason = 'not_wechat_pay' | 'malformed_xml' | 'bad_signature' | 'bad_req_info' | 'other_merchant' | 'wrong_pay_mode'

export type JunkNotification = {
  reason: JunkReason
  source: string
  /** Epoch ms of arrival: picks the minute it is counted in. */
  at: number
  /** Operator words for the first arrival of the minute (bounded). */
  detail: string
  /** A bounded copy of the first arrival of the minute, secrets excluded. */
  sample: Record<string, unknown>
}

/** `payment_rejects`: one counter document per minute and reason. */
export interface RejectCounter {
  count(junk: JunkNotification): Promise<void>
}
