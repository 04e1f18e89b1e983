import type { Fen } from './core/money'
import type { Goods, PricedLine } from './core/cart'
import type { OrderStatus, TradeState } from './core/orderState'
import type { PaymentParams } from './contracts'

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
  createdAt: Date
  updatedAt: Date
  expireAt: Date
}

export type OrderPatch = Partial<Pick<OrderRecord, 'tradeState' | 'transactionId' | 'timeEnd' | 'prepayId' | 'payment' | 'gatewayError'>>

export interface OrderRepository {
  insert(order: Omit<OrderRecord, 'createdAt' | 'updatedAt'>): Promise<void>
  get(outTradeNo: string): Promise<OrderRecord | null>
  listByOpenid(openid: string, cursor: string | undefined, limit: number): Promise<OrderRecord[]>
  /** One conditional update: applies only while the status is one of `from`. True when it did. */
  transition(outTradeNo: string, from: readonly OrderStatus[], to: OrderStatus, patch: OrderPatch): Promise<boolean>
  /** Sets fields without changing the status, only while the status is one of `whileIn`. */
  patch(outTradeNo: string, whileIn: readonly OrderStatus[], patch: OrderPatch): Promise<boolean>
}

export interface GoodsRepository {
  findByIds(ids: string[]): Promise<Goods[]>
}

export type EventDecision = 'applied' | 'duplicate' | 'rejected' | 'no_change'

export type PaymentEvent = {
  kind: 'payment_notify' | 'payment_query'
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
  appid: string
  clientIp: string
  /** yyyyMMddHHmmss, Beijing time */
  timeExpire: string
}

export type TradeQueryResult =
  | { found: false }
  | { found: true; tradeState: TradeState; mchId: string; totalFee?: Fen; transactionId?: string; timeEnd?: string }

export interface PayGateway {
  readonly mode: PayMode
  /** The merchant number payments go to: must match every notification and query. */
  readonly mchId: string
  unifiedOrder(request: UnifiedOrderRequest): Promise<{ prepayId: string; payment: PaymentParams }>
  queryOrder(outTradeNo: string): Promise<TradeQueryResult>
}

export type Clock = { now(): number }
