import {
  ADDRESS_FIELDS,
  AFTER_SALE_STATES,
  FULFILMENT_STATES,
  ORDER_STATUSES,
  PAYMENT_SIGN_TYPES,
  REFUND_STATUSES,
  type AfterSaleView,
  type DeliveryAddress,
  type FulfilmentView,
  type GoodsView,
  type OrderActions,
  type OrderItemView,
  type OrderView,
  type PaymentParams,
  type RefundView,
} from '../../cloud/payment/contracts'
import { isRecord } from '../utils/guards'
import { CloudError } from './transport'

// The functions' answers are parsed, not trusted: a deployment mismatch shows up as a clear
// BAD_RESPONSE instead of a page that renders `undefined`.

export function bad(what: string, value: unknown): CloudError {
  return new CloudError('BAD_RESPONSE', `${what}: 服务返回了无法识别的结果`, value)
}

const str = (v: unknown): v is string => typeof v === 'string'
const fen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string'
/** Whether `v` is one of `list`: the contracts' lists are the one source of the allowed values. */
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => (list as readonly unknown[]).includes(v)

export function parseGoods(value: unknown): GoodsView {
  if (!isRecord(value) || !str(value['_id']) || !str(value['name']) || !fen(value['priceFen']) || typeof value['onSale'] !== 'boolean')
    throw bad('goods', value)
  const pic = str(value['pic']) ? value['pic'] : ''
  const pics = Array.isArray(value['pics']) ? value['pics'].filter(str) : []
  return {
    _id: value['_id'],
    name: value['name'],
    description: str(value['description']) ? value['description'] : '',
    priceFen: value['priceFen'],
    pic,
    pics: pics.length > 0 ? pics : pic ? [pic] : [],
    onSale: value['onSale'],
  }
}

export function parsePage<T>(value: unknown, item: (v: unknown) => T, what: string): { items: T[]; nextCursor: string | null } {
  if (!isRecord(value) || !Array.isArray(value['items']) || !strOrNull(value['nextCursor'] ?? null)) throw bad(what, value)
  return { items: value['items'].map(item), nextCursor: (value['nextCursor'] as string | null | undefined) ?? null }
}

export function parsePayment(value: unknown): PaymentParams {
  if (!isRecord(value)) throw bad('payment', value)
  const { timeStamp, nonceStr, paySign, signType } = value
  const pkg = value['package']
  if (!str(timeStamp) || !str(nonceStr) || !str(pkg) || !str(paySign) || !oneOf(PAYMENT_SIGN_TYPES, signType)) throw bad('payment', value)
  return { timeStamp, nonceStr, package: pkg, signType, paySign }
}

function parseAddress(value: unknown): DeliveryAddress {
  if (!isRecord(value) || !ADDRESS_FIELDS.every((field) => str(value[field]))) throw bad('address', value)
  const [recipient, mobile, province, city, district, detail] = ADDRESS_FIELDS.map((field) => value[field] as string) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  return { recipient, mobile, province, city, district, detail }
}

function parseItem(value: unknown): OrderItemView {
  if (!isRecord(value) || !str(value['goodsId']) || !str(value['name']) || !fen(value['priceFen']) || !fen(value['quantity'])) throw bad('order item', value)
  return {
    goodsId: value['goodsId'],
    name: value['name'],
    priceFen: value['priceFen'],
    quantity: value['quantity'],
    pic: str(value['pic']) ? value['pic'] : '',
  }
}

export function parseOrder(value: unknown): OrderView {
  if (!isRecord(value)) throw bad('order', value)
  const v = value
  if (!str(v['outTradeNo']) || !Array.isArray(v['items']) || !fen(v['totalFee']) || !oneOf(ORDER_STATUSES, v['status'])) throw bad('order', value)
  if (!str(v['createdAt']) || !str(v['expireAt']) || !strOrNull(v['transactionId']) || !strOrNull(v['paidAt'])) throw bad('order', value)
  return {
    outTradeNo: v['outTradeNo'],
    items: v['items'].map(parseItem),
    totalFee: v['totalFee'],
    status: v['status'],
    tradeStateDesc: str(v['tradeStateDesc']) ? v['tradeStateDesc'] : '',
    transactionId: v['transactionId'],
    paidAt: v['paidAt'],
    createdAt: v['createdAt'],
    expireAt: v['expireAt'],
    payment: v['payment'] === null || v['payment'] === undefined ? null : parsePayment(v['payment']),
    refundedFee: fen(v['refundedFee']) ? v['refundedFee'] : 0,
    refunds: Array.isArray(v['refunds']) ? v['refunds'].map(parseRefund) : [],
    address: v['address'] === null || v['address'] === undefined ? null : parseAddress(v['address']),
    note: str(v['note']) ? v['note'] : null,
    fulfilment: v['fulfilment'] === null || v['fulfilment'] === undefined ? null : parseFulfilment(v['fulfilment']),
    afterSales: Array.isArray(v['afterSales']) ? v['afterSales'].map(parseAfterSale) : [],
    actions: parseActions(v['actions']),
  }
}

function parseFulfilment(value: unknown): FulfilmentView {
  if (!isRecord(value) || !oneOf(FULFILMENT_STATES, value['state'])) throw bad('fulfilment', value)
  const opt = (key: string): string | null => (str(value[key]) ? value[key] : null)
  return {
    state: value['state'],
    carrier: opt('carrier'),
    trackingNo: opt('trackingNo'),
    shippedAt: opt('shippedAt'),
    receivedAt: opt('receivedAt'),
    autoReceived: value['autoReceived'] === true,
  }
}

function parseAfterSale(value: unknown): AfterSaleView {
  if (!isRecord(value) || !str(value['id']) || !str(value['reason']) || !str(value['createdAt']) || !oneOf(AFTER_SALE_STATES, value['state']))
    throw bad('after-sale', value)
  return {
    id: value['id'],
    reason: value['reason'],
    state: value['state'],
    createdAt: value['createdAt'],
    decidedAt: str(value['decidedAt']) ? value['decidedAt'] : null,
    reply: str(value['reply']) ? value['reply'] : null,
  }
}

const ACTIONS = ['pay', 'cancel', 'refund', 'afterSale', 'confirmReceipt'] as const

/** What the shopper may do: the server decides; a missing flag means no. */
function parseActions(value: unknown): OrderActions {
  const flags = isRecord(value) ? value : {}
  const [pay, cancel, refund, afterSale, confirmReceipt] = ACTIONS.map((key) => flags[key] === true) as [boolean, boolean, boolean, boolean, boolean]
  return { pay, cancel, refund, afterSale, confirmReceipt }
}

function parseRefund(value: unknown): RefundView {
  if (!isRecord(value) || !str(value['outRefundNo']) || !fen(value['refundFee']) || !str(value['createdAt']) || !strOrNull(value['settledAt'] ?? null))
    throw bad('refund', value)
  const status = value['status']
  if (!oneOf(REFUND_STATUSES, status)) throw bad('refund', value)
  return {
    outRefundNo: value['outRefundNo'],
    refundFee: value['refundFee'],
    status,
    createdAt: value['createdAt'],
    settledAt: (value['settledAt'] as string | null | undefined) ?? null,
  }
}
