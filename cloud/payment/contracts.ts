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

/**
 * The staff console (function `staff`, staff only: ADMIN_OPENIDS). One deployable with an
 * `action`, so there is one gate: every action is refused with FORBIDDEN before anything is read
 * unless the caller is staff.
 *
 * Express companies a shipment may name: WeChat's delivery company ids (`delivery_id` of
 * 获取快递公司列表, https://developers.weixin.qq.com/doc/store/API/order/deliverycompanylist_get.html).
 */
export const STAFF_CARRIERS = {
  SF: '顺丰速运',
  ZTO: '中通快递',
  YTO: '圆通速递',
  YUNDA: '韵达快递',
  STO: '申通快递',
  JTSD: '极兔速递',
  EMS: '中国邮政',
  JD: '京东快递',
} as const
export type StaffCarrier = keyof typeof STAFF_CARRIERS
/** Goods that go without a courier: delivered by the shop itself, virtual goods, picked up in store. */
export const NO_LOGISTICS = ['LOCAL', 'VIRTUAL', 'PICKUP'] as const
export type NoLogistics = (typeof NO_LOGISTICS)[number]

/** The most orders the staff list's totals read; above it the totals cover the newest this many and say so. */
export const STAFF_TOTALS_SCAN_LIMIT = 1000

export type StaffOrdersEvent = {
  action: 'orders'
  status?: OrderStatus
  fulfilment?: FulfilmentState
  /** ISO 8601 instants: createdAt ≥ from, createdAt < to. */
  from?: string
  to?: string
  /** An order number (exact) or a recipient's mobile (exact, 11 digits). */
  search?: string
  cursor?: string
  limit?: number
}
export type StaffOrderEvent = { action: 'order'; outTradeNo: string }
export type StaffShipEvent =
  | { action: 'ship'; outTradeNo: string; requestId: string; carrier: StaffCarrier; trackingNo: string }
  | { action: 'ship'; outTradeNo: string; requestId: string; noLogistics: NoLogistics }
/** `refundFee` in fen; without it, everything still refundable. */
export type StaffRefundEvent = { action: 'refund'; outTradeNo: string; requestId: string; reason: string; refundFee?: number }
export type StaffAfterSaleEvent =
  | { action: 'afterSale'; outTradeNo: string; requestId: string; afterSaleId: string; decision: 'approve'; refundFee?: number; reply?: string }
  | { action: 'afterSale'; outTradeNo: string; requestId: string; afterSaleId: string; decision: 'reject'; reply: string }
export type StaffEvent = StaffOrdersEvent | StaffOrderEvent | StaffShipEvent | StaffRefundEvent | StaffAfterSaleEvent

export type StaffOrderSummary = {
  outTradeNo: string
  status: OrderStatus
  fulfilment: FulfilmentState | null
  totalFee: number
  paidFee: number
  refundedFee: number
  recipient: string | null
  mobile: string | null
  createdAt: string
  afterSalePending: boolean
}
export type StaffTotals = {
  orders: number
  paidFee: number
  refundedFee: number
  /** More orders matched than `STAFF_TOTALS_SCAN_LIMIT`: the totals cover only the newest that many. */
  capped: boolean
}
export type StaffOrdersData = { items: StaffOrderSummary[]; nextCursor: string | null; totals: StaffTotals }

export type StaffRefundView = RefundView & { requestedBy: string; reason: string | null; failure: string | null }
/** `order`: the order's own dates; `payment`: payment_events; `staff`: staff_audit. */
export type StaffTimelineEntry = { at: string; source: 'order' | 'payment' | 'staff'; kind: string; detail: string }
/** One order as staff see it: the address unmasked, every refund and request, and what happened, oldest first. */
export type StaffOrderView = {
  outTradeNo: string
  openid: string
  status: OrderStatus
  mode: string
  items: OrderItemView[]
  totalFee: number
  paidFee: number
  refundReservedFee: number
  refundedFee: number
  refundable: number
  transactionId: string | null
  paidAt: string | null
  createdAt: string
  address: DeliveryAddress | null
  note: string | null
  fulfilment: (FulfilmentView & { noLogistics: NoLogistics | null }) | null
  refunds: StaffRefundView[]
  afterSales: AfterSaleView[]
  timeline: StaffTimelineEntry[]
  /** The shipment's upload to WeChat (发货信息录入), in `ship`'s answer; absent before shipping. */
  shippingUpload?: StaffShippingUploadView | null
}

/**
 * UPLOADED: WeChat has the shipment. PENDING: not yet, the reconcile timer retries it. FAILED:
 * WeChat refused it for good; `lastError` says why and staff enter it in WeChat's console.
 */
export type StaffShippingUploadView = {
  state: 'PENDING' | 'UPLOADED' | 'FAILED'
  attempts: number
  lastError: string | null
  uploadedAt: string | null
  /** What it means, in staff words. */
  note: string
}

/** `me`: answers `{ staff: true }` to staff and FORBIDDEN to anyone else (the app shows 商家后台 only when it is ok). */
export type StaffMeEvent = { action: 'me' }
export type StaffMeData = { staff: true }

/**
 * The goods catalogue as staff keep it; name and description as the catalogue import takes them
 * (docs/catalogue.md: no control characters, line breaks included). `maxPriceFen`: ¥100,000 — a sane cap well inside what
 * WeChat Pay takes for 99 of one goods (`MAX_TOTAL_FEN`); a typo of three zeros is refused.
 */
export const GOODS_LIMITS = { name: 40, description: 200, pics: 9, picChars: 1024, maxPriceFen: 10_000_000 } as const
export const GOODS_FIELDS = ['name', 'description', 'priceFen', 'pics', 'onSale'] as const
export type GoodsField = (typeof GOODS_FIELDS)[number]
/** Each field's name in staff words (form labels and error messages). */
export const GOODS_LABELS: Record<GoodsField, string> = { name: '商品名称', description: '商品描述', priceFen: '价格', pics: '商品图片', onSale: '上架状态' }

/** Full-width digits and the full-width full stop, as a Chinese keyboard may type them. */
const FULL_WIDTH = /[\uff10-\uff19\uff0e]/g
/** Yuan with at most two decimals: no sign, no exponent, no grouping, no leading zeros, nothing after a dot but 1–2 digits. */
const YUAN = /^(0|[1-9]\d{0,8})(?:\.(\d{1,2}))?$/

/**
 * A price typed by a person, in yuan, as an exact integer number of fen; null when it is not one.
 * The one rule for the staff form and the server. Taken: "12", "12.3", "12.30", "0.01", "0"
 * (zero is a price format-wise; `goodsPriceProblem` refuses it), surrounding spaces, and
 * full-width digits / full stop ("１２．５"), which a Chinese keyboard types. Refused: more than two
 * decimals ("12.345" — never rounded), a sign ("-1", "+1"), "", "abc", exponents ("1e3"),
 * grouping ("1,000"), leading zeros ("012"), a bare dot at either end (".5", "12." — an
 * unfinished entry is not guessed at), and more than 9 digits of yuan. No floating point is used.
 */
export function parseYuan(text: string): number | null {
  const normal = text.trim().replace(FULL_WIDTH, (ch) => (ch === '\uff0e' ? '.' : String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 0x30)))
  const match = YUAN.exec(normal)
  if (!match) return null
  const cents = (match[2] ?? '').padEnd(2, '0')
  return Number(match[1]) * 100 + Number(cents)
}

/** Integer fen as the staff form shows it for editing: `1230` → "12.30", `5` → "0.05". Integer arithmetic only. */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`formatYuan expects a non-negative integer number of fen, got ${fen}`)
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}

/** Why a price in fen cannot be a goods price (staff words); null when it can: an integer, 1 fen to `maxPriceFen`. */
export function goodsPriceProblem(fen: number): string | null {
  if (!Number.isSafeInteger(fen)) return '价格格式不正确，最多两位小数'
  if (fen <= 0) return '价格应大于 0 元'
  if (fen > GOODS_LIMITS.maxPriceFen) return `价格不能超过 ${GOODS_LIMITS.maxPriceFen / 100} 元`
  return null
}

/**
 * A goods picture as stored: a cloud storage file id (`cloud://…`, what staff upload), an https
 * URL, or one of the shop's own pictures (`/static/goods/<file>`).
 */
export const GOODS_PIC = /^(?:cloud:\/\/[^\s]+|https:\/\/[^\s]+|\/static\/goods\/[A-Za-z0-9._-]+)$/

/** Where staff upload goods pictures in cloud storage (`goods/<name>`; the local cloud takes uploads only there). */
export const GOODS_PIC_FOLDER = 'goods/'

/**
 * A page of every goods item, on sale or not, newest first (by when it was created; the demo
 * goods, which have no creation time, last). `cursor` is the `nextCursor` of the page before.
 * Data: `StaffGoodsData`.
 */
export type StaffGoodsEvent = { action: 'goods'; cursor?: string; limit?: number }
/**
 * One goods item as staff see it. `pics` are the stored values (send them back in `saveGoods`);
 * `picUrls` the same pictures as URLs a page can load (a `cloud://` id turned into a temporary
 * URL; '' for a file that is gone), in the same order.
 */
export type StaffGoodsView = {
  _id: string
  name: string
  description: string
  priceFen: number
  pics: string[]
  picUrls: string[]
  onSale: boolean
  /** ISO 8601; null for goods made outside the console (the demo goods). */
  createdAt: string | null
  updatedAt: string | null
}
export type StaffGoodsData = { items: StaffGoodsView[]; nextCursor: string | null }
/**
 * Creates a goods item (no `id`) or replaces the editable fields of one (`id`). `priceFen` is
 * integer fen (`parseYuan` of what staff typed); `pics` 0–9 `GOODS_PIC` values, cover first.
 * `requestId` (8–60 of A–Z a–z 0–9 _ -), made once per save: a retry creates or changes nothing
 * more. A refusal is INVALID_ARGUMENT with the field in staff words (`GOODS_LABELS`), e.g.
 * "请填写商品名称", "价格应大于 0 元"; GOODS_NOT_FOUND for an unknown `id`. Data: `StaffGoodsView`.
 * Orders already placed keep the name, price and picture they were placed with.
 */
export type StaffSaveGoodsEvent = {
  action: 'saveGoods'
  requestId: string
  id?: string
  name: string
  description?: string
  priceFen: number
  pics: string[]
  onSale: boolean
}
/** Puts one goods item on or off sale (an off-sale item cannot be ordered). Data: `StaffGoodsView`. */
export type StaffSetOnSaleEvent = { action: 'setOnSale'; requestId: string; id: string; onSale: boolean }

/** One reconcile run: by the timer or by staff (`by` their OPENID), with what it found. */
export type ReconcileRunView = {
  id: string
  trigger: 'timer' | 'staff'
  by: string | null
  startedAt: string
  /** null while it runs (or if it died before finishing). */
  finishedAt: string | null
  /** How many of each it found and did (`ReconcileData`'s lists, counted). */
  counts: {
    checked: number
    paid: number
    closed: number
    refundsSettled: number
    latePayments: number
    received: number
    shippingUploads: number
    errors: number
  }
  /** The orders it could not resolve and why (operator words), at most 50. */
  errors: Array<{ outTradeNo: string; message: string }>
}
/** `reconcileStatus`: the last finished run and whether one is running now. Data: `StaffReconcileStatus`. */
export type StaffReconcileStatusEvent = { action: 'reconcileStatus' }
export type StaffReconcileStatus = { last: ReconcileRunView | null; running: boolean }
/**
 * `runReconcile`: runs reconcile now. Only one runs at a time (timer or staff): while another is
 * running this one does not start (`ran: false`, `running: true`); a retry of the same
 * `requestId` never runs it again (`ran: false`, `run` is the run it made). Data: `StaffRunReconcileData`.
 */
export type StaffRunReconcileEvent = { action: 'runReconcile'; requestId: string }
export type StaffRunReconcileData = { ran: boolean; running: boolean; run: ReconcileRunView | null }

export type StaffConsoleEvent =
  StaffEvent | StaffMeEvent | StaffGoodsEvent | StaffSaveGoodsEvent | StaffSetOnSaleEvent | StaffReconcileStatusEvent | StaffRunReconcileEvent

/**
 * WeChat's message push when a shopper confirmed receipt (or WeChat did, when the period ran
 * out), delivered to the `reconcile` function (云开发 → 设置 → 消息推送: MsgType `event`, Event
 * `trade_manage_order_settlement`). Times in seconds. Data: `SettlementData`.
 */
export type SettlementEvent = {
  MsgType: 'event'
  Event: 'trade_manage_order_settlement'
  transaction_id: string
  merchant_id: string
  merchant_trade_no: string
  confirm_receive_method?: number
  confirm_receive_time?: number
  [key: string]: unknown
}
/** `received`: this push marked it RECEIVED; `already`: it was; `ignored`: not shipped, or not ours (logged). */
export type SettlementData = { outTradeNo: string | null; outcome: 'received' | 'already' | 'ignored' }
