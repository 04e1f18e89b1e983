// The contracts between the app and the cloud functions (docs/architecture.md). This module
// imports nothing: the app takes its types and its few constants without pulling any runtime
// code of the functions into the mini program bundle. It is the one list of order statuses,
// sign types, the APIv2 base URL and the cart limits.

/** An order's payment status; how it may change is `core/orderState.ts`. */
export const ORDER_STATUSES = ['NOTPAY', 'SUCCESS', 'REFUND', 'CLOSED', 'PAYERROR'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** The APIv2 signature algorithms (merchant mode). */
export const SIGN_TYPES = ['HMAC-SHA256', 'MD5'] as const
export type SignType = (typeof SIGN_TYPES)[number]
/** What `wx.requestPayment` accepts as `signType` (cloudPay may answer RSA). */
export const PAYMENT_SIGN_TYPES = ['MD5', 'HMAC-SHA256', 'RSA'] as const
export type PaymentSignType = (typeof PAYMENT_SIGN_TYPES)[number]

/** WeChat Pay's APIv2 host; `WXPAY_API_BASE` points elsewhere only for the local simulator. */
export const DEFAULT_API_BASE = 'https://api.mch.weixin.qq.com'

/** A cart holds at most 20 distinct goods, each 1–99 of them. */
export const CART_LIMITS = { maxLines: 20, maxQuantity: 99 } as const

/** The longest each delivery address field and the delivery note may be, in characters (一 counts one). */
export const ADDRESS_LIMITS = { recipient: 20, province: 20, city: 20, district: 20, detail: 120, note: 200 } as const

export const REFUND_STATUSES = ['PROCESSING', 'SUCCESS', 'FAILED'] as const
export type RefundStatus = (typeof REFUND_STATUSES)[number]

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'GOODS_NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'PAY_GATEWAY_ERROR'
  | 'CONFIG_ERROR'
  | 'FORBIDDEN'
  | 'REFUND_NOT_ALLOWED'
  /** The order is not in a state that allows this (paying a closed order, ...). */
  | 'ORDER_STATE_CONFLICT'
  | 'INTERNAL'

export type Failure = { ok: false; error: { code: ErrorCode; message: string } }
export type Success<T> = { ok: true; data: T }
export type FunctionResult<T> = Success<T> | Failure

export type GoodsView = {
  _id: string
  name: string
  description: string
  priceFen: number
  /** The cover picture (the first of `pics`). */
  pic: string
  /** Every picture, cover first (the goods detail page shows them in a swiper). */
  pics: string[]
  /** The list has only goods on sale; one goods asked for by id may be off sale (shown, not orderable). */
  onSale: boolean
}

/** A page of goods on sale, or one goods by `id` (off-sale too; a missing one is `GOODS_NOT_FOUND`). Data: `ListGoodsData` or `GoodsView`. */
export type ListGoodsEvent = { cursor?: string; limit?: number } | { id: string }
export type ListGoodsData = { items: GoodsView[]; nextCursor: string | null }

/** Exactly what `wx.requestPayment` takes. */
export type PaymentParams = { timeStamp: string; nonceStr: string; package: string; signType: PaymentSignType; paySign: string }

export type OrderItemView = { goodsId: string; name: string; priceFen: number; quantity: number; pic: string }

export type OrderView = {
  outTradeNo: string
  items: OrderItemView[]
  totalFee: number
  status: OrderStatus
  /** The status in words for the shopper (待支付, 支付成功 …). */
  tradeStateDesc: string
  transactionId: string | null
  /** When WeChat Pay says the payment completed, ISO 8601. */
  paidAt: string | null
  createdAt: string
  expireAt: string
  /** For `wx.requestPayment` while the order can still be paid; otherwise null. */
  payment: PaymentParams | null
  /** Money sent back so far, in fen, and each refund with its state. */
  refundedFee: number
  refunds: RefundView[]
  /** The delivery address and note as they were when the order was made; null on orders made without. */
  address: DeliveryAddress | null
  note: string | null
  /** Where a paid order is on its way; null until it is paid. */
  fulfilment: FulfilmentView | null
  /** The shopper's after-sale requests, oldest first. */
  afterSales: AfterSaleView[]
  /** What the shopper may do with the order now; the server decides, the page only shows it. */
  actions: OrderActions
}

/**
 * A paid order's way to the shopper: PENDING (待发货) → SHIPPED (已发货) → RECEIVED (已收货, by the
 * shopper or 10 days after shipping by the reconcile timer). PENDING → CANCELLED when the shopper
 * cancels before shipping and is refunded in full; a shipped order can never be cancelled, a
 * cancelled one never shipped (one conditional update decides a race between the two).
 */
export const FULFILMENT_STATES = ['PENDING', 'SHIPPED', 'RECEIVED', 'CANCELLED'] as const
export type FulfilmentState = (typeof FULFILMENT_STATES)[number]
export type FulfilmentView = {
  state: FulfilmentState
  /** The carrier's or delivery way's name, as a shopper reads it (顺丰速运, 同城配送). */
  carrier: string | null
  trackingNo: string | null
  shippedAt: string | null
  receivedAt: string | null
  /** Received by the timer, not confirmed by the shopper. */
  autoReceived: boolean
}
/** A shipped order counts as received this long after shipping, unless the shopper confirmed earlier. */
export const AUTO_RECEIVE_DAYS = 10

/** After-sale: the shopper asks (PENDING), staff decide (APPROVED with a refund, or REJECTED with a reply). */
export const AFTER_SALE_STATES = ['PENDING', 'APPROVED', 'REJECTED'] as const
export type AfterSaleState = (typeof AFTER_SALE_STATES)[number]
export type AfterSaleView = { id: string; reason: string; state: AfterSaleState; createdAt: string; decidedAt: string | null; reply: string | null }
/** The longest after-sale reason, in characters. */
export const AFTER_SALE_REASON_MAX = 200

export type OrderActions = {
  /** Pay (unpaid and not expired: `payment` is set). */
  pay: boolean
  /** Cancel an unpaid order (the gateway may still say it is too early). */
  cancel: boolean
  /** Cancel a paid order that has not shipped: refunded in full. */
  refund: boolean
  /** Shipped or received, no refund in full yet, no request pending: ask for after-sale. */
  afterSale: boolean
  /** Shipped: the shopper confirms receipt. */
  confirmReceipt: boolean
}

/** The tabs of My orders, each a server-side filter: 全部 / 待付款 / 待发货 / 待收货 / 退款售后. */
export const ORDER_TABS = ['ALL', 'UNPAID', 'TO_SHIP', 'TO_RECEIVE', 'AFTER_SALE'] as const
export type OrderTab = (typeof ORDER_TABS)[number]

/** Where the goods go, as the shopper typed it (each field one trimmed line); `mobile` is a mainland mobile number. */
export type DeliveryAddress = { recipient: string; mobile: string; province: string; city: string; district: string; detail: string }
export const ADDRESS_FIELDS = ['recipient', 'mobile', 'province', 'city', 'district', 'detail'] as const
export type AddressField = (typeof ADDRESS_FIELDS)[number]
/** Each field's name in the shopper's words (form labels and error messages). */
export const ADDRESS_LABELS: Record<AddressField | 'note', string> = {
  recipient: '收货人',
  mobile: '手机号码',
  province: '省份',
  city: '城市',
  district: '区县',
  detail: '详细地址',
  note: '备注',
}
/** A mainland mobile number: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/
/** C0 and C1 control characters (line breaks among them) and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Why a typed address line is refused: `message` for the shopper, `kind` for the operator's log. */
export type AddressProblem = { kind: 'required' | 'control' | 'mobile' | 'too_long'; message: string }

/**
 * What is wrong with one typed line of an address (or the note); null when it is fine. The one
 * rule for both sides: the app shows the message under the field, the server refuses with it
 * (`core/address.ts`). `value` is the trimmed text; only the note may be empty.
 */
export function addressFieldProblem(field: AddressField | 'note', value: string): AddressProblem | null {
  const label = ADDRESS_LABELS[field]
  if (value === '') return field === 'note' ? null : { kind: 'required', message: `请填写${label}` }
  if (CONTROL.test(value)) return { kind: 'control', message: `${label}不能换行或包含特殊字符` }
  if (field === 'mobile') return MOBILE_PATTERN.test(value) ? null : { kind: 'mobile', message: '手机号码格式不正确' }
  const max = ADDRESS_LIMITS[field]
  return [...value].length > max ? { kind: 'too_long', message: `${label}最多 ${max} 个字` } : null
}

export type RefundView = { outRefundNo: string; refundFee: number; status: RefundStatus; createdAt: string; settledAt: string | null }

/** `requestId`: made by the client once per checkout; a retry with it never makes a second trade. */
export type CreateOrderEvent = {
  items: Array<{ goodsId: string; quantity: number }>
  requestId?: string
  /** Required: where the goods go. */
  address: DeliveryAddress
  /** One line for the courier, at most `ADDRESS_LIMITS.note` characters. */
  note?: string
}
export type CreateOrderData = { outTradeNo: string; totalFee: number; payment: PaymentParams }

export type QueryOrderEvent = { outTradeNo: string } | { cursor?: string; limit?: number; tab?: OrderTab }
export type OrderListData = { items: OrderView[]; nextCursor: string | null }

export type ConfirmPaymentEvent = { outTradeNo: string }

/** Staff only. `outRefundNo` makes the request idempotent; without one the server makes one. */
export type RefundOrderEvent = { outTradeNo: string; refundFee: number; outRefundNo?: string; reason?: string }
export type RefundOrderData = { outTradeNo: string; refund: RefundView }

export type ReconcileData = {
  checked: number
  paid: string[]
  closed: string[]
  refundsSettled: string[]
  /** Paid after the order was closed: the money is recorded on the order, waiting for a refund. */
  latePayments: string[]
  /** Shipped at least `AUTO_RECEIVE_DAYS` ago and now counted as received. */
  received: string[]
  /** Shipments whose upload to WeChat (发货信息录入) was retried and accepted in this run. */
  shippingUploads: string[]
  errors: Array<{ outTradeNo: string; message: string }>
  /** Another run (timer or staff) was running: this one did nothing. */
  busy?: boolean
}

/**
 * The shopper cancels their own order. Unpaid: closed at the gateway, then CLOSED. Paid and not
 * shipped: fulfilment CANCELLED and a refund of everything paid (idempotent: cancelling again
 * answers the order as it is). Shipped: refused (ORDER_STATE_CONFLICT), ask for after-sale instead.
 * Data: `OrderView`.
 */
export type CancelOrderEvent = { outTradeNo: string }

/**
 * The shopper's other actions on their own order (function `orderAction`). Data: `OrderView`.
 * - `confirmReceipt`: SHIPPED → RECEIVED; again on a received order answers it as it is.
 * - `afterSale`: files a request (reason 1–200 characters, no control characters) on a shipped or
 *   received order with none pending; `requestId` makes a retry file nothing new.
 */
export type OrderActionEvent = { action: 'confirmReceipt'; outTradeNo: string } | { action: 'afterSale'; outTradeNo: string; reason: string; requestId: string }
