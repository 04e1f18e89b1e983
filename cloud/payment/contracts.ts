// The contracts between the app and the cloud functions (DESIGN.md). The app imports these
// as types only; nothing here may pull runtime code into the mini program bundle.

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'GOODS_NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'PAY_GATEWAY_ERROR'
  | 'CONFIG_ERROR'
  | 'FORBIDDEN'
  | 'REFUND_NOT_ALLOWED'
  | 'INTERNAL'

export type Failure = { ok: false; error: { code: ErrorCode; message: string } }
export type Success<T> = { ok: true; data: T }
export type FunctionResult<T> = Success<T> | Failure

export type GoodsView = { _id: string; name: string; description: string; priceFen: number; pic: string }

export type ListGoodsEvent = { cursor?: string; limit?: number }
export type ListGoodsData = { items: GoodsView[]; nextCursor: string | null }

export type OrderStatus = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR'

/** Exactly what `wx.requestPayment` takes. */
export type PaymentParams = { timeStamp: string; nonceStr: string; package: string; signType: 'MD5' | 'HMAC-SHA256' | 'RSA'; paySign: string }

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
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED'
export type RefundView = { outRefundNo: string; refundFee: number; status: RefundStatus; createdAt: string; settledAt: string | null }

/** `requestId`: made by the client once per checkout; a retry with it never makes a second trade. */
export type CreateOrderEvent = { items: Array<{ goodsId: string; quantity: number }>; requestId?: string }
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
