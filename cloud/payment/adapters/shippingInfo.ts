// 发货信息录入 through 云调用: `cloud.openapi.wxa.sec.order.uploadShippingInfo` (the calling
// function's config.json must list "wxa.sec.order.uploadShippingInfo" under
// `permissions.openapi`). Builds the request from plain inputs and sorts the answer into what a
// caller does next. Facts and their sources: docs/wechat-pay.md, "Shipping information upload".

export const UPLOAD_SHIPPING_INFO_API = 'wxa.sec.order.uploadShippingInfo'

export type ShippingOpenApi = {
  wxa: { sec: { order: { uploadShippingInfo(request: Record<string, unknown>): Promise<unknown> } } }
}

/** The trade: WeChat Pay's transaction id, or the merchant it was placed under and its out_trade_no. */
export type ShippingOrderRef = { transactionId: string } | { mchId: string; outTradeNo: string }

/** 1 实体物流 (express), 2 同城配送, 3 虚拟商品, 4 用户自提. */
export type LogisticsKind = 'express' | 'same_city' | 'virtual' | 'pickup'
const LOGISTICS_TYPE: Record<LogisticsKind, number> = { express: 1, same_city: 2, virtual: 3, pickup: 4 }

export type ShipmentInput = {
  order: ShippingOrderRef
  payerOpenid: string
  logistics: LogisticsKind
  /** 商品信息, at most 120 characters, e.g. "微信红包抱枕*1个". */
  itemDesc: string
  /** Express only: the waybill and the delivery_id of get_delivery_list (SF, YTO, ZTO …). */
  trackingNo?: string
  expressCompany?: string
  /** Already masked, last four digits clear (maskPhone). Required for SF: one of the two. */
  consignorContact?: string
  receiverContact?: string
  uploadedAt: Date
}

export type ShippingOutcome =
  | { kind: 'ok' }
  /** The order's shipment (and its one re-shipment) is already on record: treat as done. */
  | { kind: 'already_uploaded'; code: number }
  /** WeChat was busy or did not answer: try again later with a newer upload time. */
  | { kind: 'temporary'; code: number; message: string }
  | { kind: 'permanent'; reason: ShippingRefusal; code: number; message: string }

export type ShippingRefusal = 'order_not_found' | 'not_shippable' | 'payer_mismatch' | 'bad_request' | 'no_permission' | 'invalid_input' | 'unknown'

const MASKED = /^\+?[\d-]*\*+\d{4}$/

/** "13800001234" → "138****1234": what the platform accepts as a contact. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return `****${digits.slice(-4)}`
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

/** RFC 3339 in Beijing time with milliseconds, as the documentation's example: 2022-12-15T13:29:35.120+08:00. */
export function rfc3339Beijing(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3600_000)
  return `${shifted.toISOString().slice(0, 23)}+08:00`
}

/** The request body, or why these inputs cannot make one. */
export function buildShippingRequest(input: ShipmentInput): { request: Record<string, unknown> } | { invalid: string } {
  if (!input.payerOpenid) return { invalid: 'payerOpenid is required' }
  const desc = input.itemDesc.trim()
  if (desc.length === 0 || desc.length > 120) return { invalid: 'itemDesc must be 1-120 characters' }
  if (Number.isNaN(input.uploadedAt.getTime())) return { invalid: 'uploadedAt is not a date' }
  for (const contact of [input.consignorContact, input.receiverContact]) {
    if (contact !== undefined && !MASKED.test(contact)) return { invalid: 'contacts must be masked, last four digits clear (maskPhone)' }
  }
  const item: Record<string, unknown> = { item_desc: desc }
  if (input.logistics === 'express') {
    if (!input.trackingNo || !input.expressCompany) return { invalid: 'express shipments need trackingNo and expressCompany' }
    item['tracking_no'] = input.trackingNo
    item['express_company'] = input.expressCompany
    if (input.expressCompany === 'SF' && !input.consignorContact && !input.receiverContact) return { invalid: 'SF shipments need a masked contact' }
  }
  if (input.consignorContact || input.receiverContact) {
    item['contact'] = {
      ...(input.consignorContact ? { consignor_contact: input.consignorContact } : {}),
      ...(input.receiverContact ? { receiver_contact: input.receiverContact } : {}),
    }
  }
  const orderKey =
    'transactionId' in input.order
      ? { order_number_type: 2, transaction_id: input.order.transactionId }
      : { order_number_type: 1, mchid: input.order.mchId, out_trade_no: input.order.outTradeNo }
  return {
    request: {
      order_key: orderKey,
      logistics_type: LOGISTICS_TYPE[input.logistics],
      delivery_mode: 1,
      shipping_list: [item],
      upload_time: rfc3339Beijing(input.uploadedAt),
      payer: { openid: input.payerOpenid },
    },
  }
}

const PERMANENT: Readonly<Record<number, ShippingRefusal>> = {
  10060001: 'order_not_found',
  10060004: 'not_shippable',
  10060031: 'payer_mismatch',
  47001: 'bad_request',
  [-604101]: 'no_permission',
}
const ALREADY_UPLOADED = 10060003
// WeChat's "system busy"; the SDK's own codes for a call that failed on the way (-501xxx: TCB_ERR_CODE).
const isTemporary = (code: number): boolean => code === -1 || (code <= -501000 && code > -502000)

/**
 * What an answer (or the SDK's thrown error) means. The SDK throws `{ errCode, errMsg }` for a
 * non-zero `errcode` and for transport failures; a resolved call is success.
 */
export function classifyShippingAnswer(outcome: { answer: unknown } | { error: unknown }): ShippingOutcome {
  if ('answer' in outcome) {
    const code = codeOf(outcome.answer)
    return code === undefined || code === 0 ? { kind: 'ok' } : classifyCode(code, messageOf(outcome.answer))
  }
  const code = codeOf(outcome.error)
  if (code === undefined) return { kind: 'temporary', code: -1, message: messageOf(outcome.error) }
  return classifyCode(code, messageOf(outcome.error))
}

function classifyCode(code: number, message: string): ShippingOutcome {
  if (code === ALREADY_UPLOADED) return { kind: 'already_uploaded', code }
  if (isTemporary(code)) return { kind: 'temporary', code, message }
  return { kind: 'permanent', reason: PERMANENT[code] ?? 'unknown', code, message }
}

function codeOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as { errCode?: unknown; errcode?: unknown }
  const code = v.errCode ?? v.errcode
  return typeof code === 'number' && Number.isSafeInteger(code) ? code : undefined
}

function messageOf(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const v = value as { errMsg?: unknown; errmsg?: unknown; message?: unknown }
    const msg = v.errMsg ?? v.errmsg ?? v.message
    if (typeof msg === 'string') return msg.slice(0, 300)
  }
  return String(value).slice(0, 300)
}

/** Uploads one shipment (统一发货) and says what happened; never throws. */
export async function uploadShippingInfo(openapi: ShippingOpenApi, input: ShipmentInput): Promise<ShippingOutcome> {
  const built = buildShippingRequest(input)
  if ('invalid' in built) return { kind: 'permanent', reason: 'invalid_input', code: 0, message: built.invalid }
  try {
    return classifyShippingAnswer({ answer: await openapi.wxa.sec.order.uploadShippingInfo(built.request) })
  } catch (error) {
    return classifyShippingAnswer({ error })
  }
}
