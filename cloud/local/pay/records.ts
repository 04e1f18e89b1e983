// What the simulator keeps in the store, and how a stored document is read back.
import type { SimDoc } from './ports'
import { isSignType, type SignType } from '../../payment/protocol/sign'

export const TRADES = '_sim_trades'
export const REFUNDS = '_sim_refunds'
export const NOTIFICATIONS = '_sim_notifications'

export type TradeMode = 'cloudpay' | 'merchant'
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR'

/** Where callbacks for a trade or refund go. */
export type NotifyTarget = { kind: 'function'; functionName: string } | { kind: 'url'; url: string }

export interface TradeRecord {
  _id: string
  mode: TradeMode
  mchId: string
  appid: string
  outTradeNo: string
  openid: string
  body: string
  attach?: string
  totalFee: number
  tradeType: 'JSAPI'
  spbillCreateIp: string
  timeExpire?: string
  signType: SignType
  notify: NotifyTarget
  /** The parameters that decide whether a repeated unifiedorder is "the same order". */
  fingerprint: string
  prepayId: string
  prepayIssuedAt: number
  createdAt: number
  updatedAt: number
  /** As stored; a paid trade with refunds reads as REFUND (see effectiveState). */
  tradeState: TradeState
  transactionId?: string
  timeEnd?: string
  paidAt?: number
}

export interface RefundRecord {
  _id: string
  mode: TradeMode
  mchId: string
  tradeId: string
  outTradeNo: string
  transactionId: string
  outRefundNo: string
  refundId: string
  totalFee: number
  refundFee: number
  createdAt: number
  /** Accepted is not refunded: the refund succeeds at this time. */
  settleAt: number
  notify?: NotifyTarget
}

export interface AttemptRecord {
  at: number
  acknowledged: boolean
  error?: string
}

export type NotificationStatus = 'PENDING' | 'ACKNOWLEDGED' | 'GAVE_UP'

export type Delivery = { kind: 'function'; functionName: string; event: Record<string, string | number> } | { kind: 'url'; url: string; xml: string }

export interface NotificationRecord {
  _id: string
  kind: 'payment' | 'refund'
  mode: TradeMode
  mchId: string
  outTradeNo: string
  outRefundNo?: string
  delivery: Delivery
  status: NotificationStatus
  attempts: AttemptRecord[]
  nextAttemptAt: number | null
  createdAt: number
}

export function tradeId(mode: TradeMode, mchId: string, outTradeNo: string): string {
  return `${mode}:${mchId}:${outTradeNo}`
}

export function refundKey(mode: TradeMode, mchId: string, outRefundNo: string): string {
  return `${mode}:${mchId}:${outRefundNo}`
}

export function toDoc(record: TradeRecord | RefundRecord | NotificationRecord): SimDoc {
  return JSON.parse(JSON.stringify(record)) as SimDoc
}

type Doc = Readonly<Record<string, unknown>>
const isObj = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
const isOptStr = (v: unknown) => v === undefined || isStr(v)
const isMode = (v: unknown): v is TradeMode => v === 'cloudpay' || v === 'merchant'
const TRADE_STATES: readonly unknown[] = ['NOTPAY', 'SUCCESS', 'REFUND', 'CLOSED', 'PAYERROR']

function isTarget(v: unknown): v is NotifyTarget {
  return isObj(v) && ((v.kind === 'function' && isStr(v.functionName)) || (v.kind === 'url' && isStr(v.url)))
}

function hasAll(doc: Doc, check: (v: unknown) => boolean, names: readonly string[]): boolean {
  return names.every((name) => check(doc[name]))
}

export function parseTrade(doc: unknown): TradeRecord | undefined {
  if (!isObj(doc) || !isMode(doc.mode) || !TRADE_STATES.includes(doc.tradeState)) return undefined
  const strings = ['_id', 'mchId', 'appid', 'outTradeNo', 'openid', 'body', 'spbillCreateIp', 'fingerprint', 'prepayId']
  const ints = ['totalFee', 'prepayIssuedAt', 'createdAt', 'updatedAt']
  const ok =
    hasAll(doc, isStr, strings) &&
    hasAll(doc, isInt, ints) &&
    hasAll(doc, isOptStr, ['attach', 'timeExpire', 'transactionId', 'timeEnd']) &&
    (doc.paidAt === undefined || isInt(doc.paidAt)) &&
    doc.tradeType === 'JSAPI' &&
    isSignType(doc.signType) &&
    isTarget(doc.notify)
  return ok ? (doc as unknown as TradeRecord) : undefined
}

export function parseRefund(doc: unknown): RefundRecord | undefined {
  if (!isObj(doc) || !isMode(doc.mode)) return undefined
  const strings = ['_id', 'mchId', 'tradeId', 'outTradeNo', 'transactionId', 'outRefundNo', 'refundId']
  const ok =
    hasAll(doc, isStr, strings) && hasAll(doc, isInt, ['totalFee', 'refundFee', 'createdAt', 'settleAt']) && (doc.notify === undefined || isTarget(doc.notify))
  return ok ? (doc as unknown as RefundRecord) : undefined
}

function isDelivery(v: unknown): v is Delivery {
  if (!isObj(v)) return false
  if (v.kind === 'url') return isStr(v.url) && isStr(v.xml)
  return v.kind === 'function' && isStr(v.functionName) && isObj(v.event)
}

function isAttempt(v: unknown): v is AttemptRecord {
  return isObj(v) && isInt(v.at) && typeof v.acknowledged === 'boolean' && isOptStr(v.error)
}

export function parseNotification(doc: unknown): NotificationRecord | undefined {
  if (!isObj(doc) || !isMode(doc.mode)) return undefined
  const ok =
    hasAll(doc, isStr, ['_id', 'mchId', 'outTradeNo']) &&
    isOptStr(doc.outRefundNo) &&
    (doc.kind === 'payment' || doc.kind === 'refund') &&
    (doc.status === 'PENDING' || doc.status === 'ACKNOWLEDGED' || doc.status === 'GAVE_UP') &&
    isDelivery(doc.delivery) &&
    Array.isArray(doc.attempts) &&
    doc.attempts.every(isAttempt) &&
    (doc.nextAttemptAt === null || isInt(doc.nextAttemptAt)) &&
    isInt(doc.createdAt)
  return ok ? (doc as unknown as NotificationRecord) : undefined
}
