// The request of 发货信息录入 (`wxa.sec.order.uploadShippingInfo`) as the platform checks it
// before looking at the order. Sources and which codes are guesses: docs/wechat-pay.md,
// "Shipping information upload".

/** An answer of the platform: `errcode` 0 is success. */
export type WxAnswer = { errcode: number; errmsg: string }

export const ERR = {
  /** Confirmed (community): shipping_list sent as an object. Used here for every malformed field (a guess beyond that case). */
  DATA_FORMAT: 47001,
  /** Confirmed (community): 支付单不存在. */
  ORDER_NOT_FOUND: 10060001,
  /** Confirmed (community): 支付单已使用重新发货机会. */
  RESHIP_USED: 10060003,
  /** Confirmed (community): 支付单处于不可发货的状态 (refunded, or already settled). */
  NOT_SHIPPABLE: 10060004,
  /** Confirmed (community): 该笔支付单不属于 openid 所指定的用户. */
  PAYER_MISMATCH: 10060031,
  /** WeChat's global "system busy" code. */
  SYSTEM_ERROR: -1,
} as const

export const refuse = (errcode: number, errmsg: string): WxAnswer => ({ errcode, errmsg })
const formatError = (hint: string): WxAnswer => refuse(ERR.DATA_FORMAT, `data format error, hint: ${hint}`)

/**
 * Express companies the emulator knows (delivery_id of get_delivery_list). Only these five are
 * confirmed by a published excerpt of its answer; the real list has about 1500 entries.
 */
export const EXPRESS_COMPANIES: Readonly<Record<string, string>> = {
  SF: '顺丰速运',
  YTO: '圆通速递',
  YD: '韵达速递',
  ZTO: '中通快递',
  STO: '申通快递',
}

export type OrderKey = { kind: 'transaction'; transactionId: string } | { kind: 'merchant'; mchId: string; outTradeNo: string }
export type ShippingItem = { trackingNo?: string; expressCompany?: string; itemDesc: string; consignorContact?: string; receiverContact?: string }
export type ShippingRequest = {
  orderKey: OrderKey
  logisticsType: 1 | 2 | 3 | 4
  deliveryMode: 1 | 2
  isAllDelivered?: boolean
  shippingList: ShippingItem[]
  /** Milliseconds since the epoch, from `upload_time`. */
  uploadTime: number
  uploadTimeText: string
  payerOpenid: string
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined)
const optText = (v: unknown, max: number): string | undefined | null => (v === undefined || v === null || v === '' ? undefined : (text(v, max) ?? null))

// RFC 3339 date-time with a mandatory offset: 2022-12-15T13:29:35.120+08:00 or …Z.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

export function parseUploadTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? ms : undefined
}

// A masked phone number: the last four digits clear, something masked before them (官方: 最后4位数字不能打掩码).
const MASKED_CONTACT = /^\+?[\d-]*\*+\d{4}$/

/** Checks what can be checked without the order; an answer when the request is refused. */
export function parseShippingRequest(body: unknown): { request: ShippingRequest } | { refusal: WxAnswer } {
  const fail = (hint: string) => ({ refusal: formatError(hint) })
  if (!isObj(body)) return fail('body')
  const key = body['order_key']
  if (!isObj(key)) return fail('order_key')
  let orderKey: OrderKey
  if (key['order_number_type'] === 2) {
    const transactionId = text(key['transaction_id'], 32)
    if (!transactionId) return fail('order_key.transaction_id')
    orderKey = { kind: 'transaction', transactionId }
  } else if (key['order_number_type'] === 1) {
    const mchId = text(key['mchid'], 32)
    const outTradeNo = text(key['out_trade_no'], 32)
    if (!mchId || !outTradeNo) return fail('order_key.mchid / out_trade_no')
    orderKey = { kind: 'merchant', mchId, outTradeNo }
  } else return fail('order_key.order_number_type')

  const logisticsType = body['logistics_type']
  if (logisticsType !== 1 && logisticsType !== 2 && logisticsType !== 3 && logisticsType !== 4) return fail('logistics_type')
  const deliveryMode = body['delivery_mode']
  if (deliveryMode !== 1 && deliveryMode !== 2) return fail('delivery_mode')
  const isAllDelivered = body['is_all_delivered']
  if (isAllDelivered !== undefined && isAllDelivered !== null && typeof isAllDelivered !== 'boolean') return fail('is_all_delivered')
  // Split delivery: express only, and it must say whether everything has gone.
  if (deliveryMode === 2 && (logisticsType !== 1 || typeof isAllDelivered !== 'boolean'))
    return fail('delivery_mode 2 needs logistics_type 1 and is_all_delivered')

  const list = body['shipping_list']
  if (!Array.isArray(list)) return fail('shipping_list must be an array')
  if (list.length < 1 || list.length > 15 || (deliveryMode === 1 && list.length !== 1)) return fail('shipping_list length')
  const shippingList: ShippingItem[] = []
  for (const [i, raw] of list.entries()) {
    const item = parseItem(raw, logisticsType)
    if (typeof item === 'string') return fail(`shipping_list[${i}].${item}`)
    shippingList.push(item)
  }

  const uploadTime = parseUploadTime(body['upload_time'])
  if (uploadTime === undefined) return fail('upload_time must be RFC 3339 with a time zone')
  const payer = body['payer']
  const payerOpenid = isObj(payer) ? text(payer['openid'], 128) : undefined
  if (!payerOpenid) return fail('payer.openid')

  return {
    request: {
      orderKey,
      logisticsType,
      deliveryMode,
      ...(typeof isAllDelivered === 'boolean' ? { isAllDelivered } : {}),
      shippingList,
      uploadTime,
      uploadTimeText: body['upload_time'] as string,
      payerOpenid,
    },
  }
}

/** The item, or the name of its bad field. */
function parseItem(raw: unknown, logisticsType: number): ShippingItem | string {
  if (!isObj(raw)) return 'item'
  const itemDesc = text(raw['item_desc'], 120)
  if (!itemDesc) return 'item_desc'
  const trackingNo = optText(raw['tracking_no'], 128)
  const expressCompany = optText(raw['express_company'], 128)
  if (trackingNo === null) return 'tracking_no'
  if (expressCompany === null) return 'express_company'
  const item: ShippingItem = { itemDesc }
  if (logisticsType === 1) {
    // 物流快递发货时必填 (tracking_no, express_company).
    if (!trackingNo) return 'tracking_no'
    if (!expressCompany || !(expressCompany in EXPRESS_COMPANIES)) return 'express_company'
    item.trackingNo = trackingNo
    item.expressCompany = expressCompany
  }
  const contact = raw['contact']
  if (contact !== undefined && contact !== null && !isObj(contact)) return 'contact'
  const consignor = isObj(contact) ? optText(contact['consignor_contact'], 1024) : undefined
  const receiver = isObj(contact) ? optText(contact['receiver_contact'], 1024) : undefined
  if (consignor === null || (consignor && !MASKED_CONTACT.test(consignor))) return 'contact.consignor_contact'
  if (receiver === null || (receiver && !MASKED_CONTACT.test(receiver))) return 'contact.receiver_contact'
  // 顺丰: one of the two contacts is required.
  if (item.expressCompany === 'SF' && !consignor && !receiver) return 'contact (required for SF)'
  if (consignor) item.consignorContact = consignor
  if (receiver) item.receiverContact = receiver
  return item
}
