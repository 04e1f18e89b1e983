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

export type GoodsView = { _id: string; name: string; description: string; priceFen: number; pic: string }

export type ListGoodsEvent = { cursor?: string; limit?: number }
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
}

/** Where the goods go, as the shopper typed it (each field one trimmed line); `mobile` is a mainland mobile number. */
export type DeliveryAddress = { recipient: string; mobile: string; province: string; city: string; district: string; detail: string }

export type RefundView = { outRefundNo: string; refundFee: number; status: RefundStatus; createdAt: string; settledAt: string | null }

/** `requestId`: made by the client once per checkout; a retry with it never makes a second trade. */
export type CreateOrderEvent = {
  items: Array<{ goodsId: string; quantity: number }>
  requestId?: string
  /** Optional for now (the app has no address form yet); a later step makes it required. */
  address?: DeliveryAddress
  /** One line for the courier, at most `ADDRESS_LIMITS.note` characters. */
  note?: string
}
export type CreateOrderData = { outTradeNo: string; totalFee: number; payment: PaymentParams }

export type QueryOrderEvent = { outTradeNo: string } | { cursor?: string; limit?: number }
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
  errors: Array<{ outTradeNo: string; message: string }>
}

/** The shopper cancels their own unpaid order; a closed one answers as it is. Data: `OrderView`. */
export type CancelOrderEvent = { outTradeNo: string }
