// The staff console's contracts (function `staff`, pages under src/pages/staff): apart from the
// shopper's contracts (./contracts.ts) so that the staff-only values and functions here — the
// carriers, the goods limits, the yuan parser — are bundled into the staff subpackage only, never
// into the package every shopper downloads. Like ./contracts.ts it is shared by the app and the
// functions, and imports nothing but the shopper contracts' types.
import type { AfterSaleView, DeliveryAddress, FulfilmentState, FulfilmentView, OrderItemView, OrderStatus, RefundView } from './contracts'

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
/** What a shopper and staff read for each delivery way without a tracking number. */
export const NO_LOGISTICS_LABELS: Record<NoLogistics, string> = { LOCAL: '同城配送', VIRTUAL: '虚拟商品', PICKUP: '到店自提' }

/** 顺丰速运 for `SF`, 到店自提 for `PICKUP`; anything else (an older name, say) as it is. */
export function carrierName(code: string): string {
  if (Object.hasOwn(STAFF_CARRIERS, code)) return STAFF_CARRIERS[code as StaffCarrier]
  return (NO_LOGISTICS as readonly string[]).includes(code) ? NO_LOGISTICS_LABELS[code as NoLogistics] : code
}

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
  /** The WeChat shipping-information upload's state, once shipped (null before). */
  shippingUpload: StaffShippingUploadView['state'] | null
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
 * With `id`, that one item (`items` of one, `nextCursor` null; `cursor` and `limit` do not apply),
 * or GOODS_NOT_FOUND. Data: `StaffGoodsData`.
 */
export type StaffGoodsEvent = { action: 'goods'; id?: string; cursor?: string; limit?: number }
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
