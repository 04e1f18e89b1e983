// In-memory stand-ins for the payment module's ports, for unit tests of the use cases (and for
// mutation testing, which runs only fast tests). The order repository keeps the same promises as
// adapters/orderRepository.ts — each method one conditional update on the expected state — and
// cloud/functions/stateMachine.test.ts (markPaid.test.ts for the payment's filter) checks the
// real one against the same rules.
import { parseGoods } from '../adapters/goodsRepository'
import { gatewayRefusal } from '../adapters/gatewayErrors'
import { AFTER_SALE_FULFILMENT, hasPendingAfterSale, type AfterSaleEntry } from '../core/afterSale'
import type { Goods } from '../core/cart'
import { fulfilmentSourcesOf, INITIAL_FULFILMENT, orderStatusesFor, type Fulfilment, type FulfilmentState } from '../core/fulfilment'
import { fen, type Fen } from '../core/money'
import type { PaidFacts } from '../core/payment'
import { paidAmount } from '../core/refund'
import { isClosedUnpaid, isPayable, sourcesOf } from '../core/orderState'
import { matchesFilter, type OrderFilter } from '../core/orderTabs'
import type { PaymentParams } from '../contracts'
import type {
  CheckMark,
  CloseResult,
  EventLog,
  GoodsRepository,
  NewOrder,
  OrderRecord,
  OrderRepository,
  OrderRequests,
  PayGateway,
  PaymentEvent,
  PayMode,
  RefundEntry,
  RefundQueryResult,
  RefundRequest,
  Shipment,
  ShippingPort,
  ShippingUpload,
  AfterSaleDecision,
  PaymentHistory,
  StaffAudit,
  StaffAuditRecord,
  StaffOrderQuery,
  StaffOrders,
  StaffOrderTotals,
  TradeQueryResult,
  UnifiedOrderRequest,
} from '../ports'
import type { CreateOrderDeps, StaffDeps } from '../usecases/deps'
import type { ShipmentInput, ShippingOutcome } from '../adapters/shippingInfo'
import { startedOrder } from '../usecases/createOrder'

export class MemoryClock {
  constructor(public ms = Date.UTC(2026, 10, 28, 2, 0, 0)) {}
  now = (): number => this.ms
  advance(ms: number): void {
    this.ms += ms
  }
}

type Stored = OrderRecord & { reconciledAt?: Date; refundsCheckedAt?: Date; cancelCheckedAt?: Date }

export class MemoryOrders implements OrderRepository, StaffOrders {
  readonly docs = new Map<string, Stored>()
  /** Every conditional update attempted, and whether it changed anything. */
  readonly writes: Array<{ method: string; outTradeNo: string; changed: boolean }> = []

  constructor(private readonly clock: MemoryClock) {}

  private write(method: string, outTradeNo: string, changed: boolean): boolean {
    this.writes.push({ method, outTradeNo, changed })
    return changed
  }

  private now(): Date {
    return new Date(this.clock.now())
  }

  /** A stored order, as tests arrange it. */
  put(order: OrderRecord): void {
    this.docs.set(order.outTradeNo, structuredClone(order))
  }

  async insert(order: NewOrder): Promise<'inserted' | 'exists'> {
    if (this.docs.has(order._id)) return 'exists'
    this.docs.set(order._id, startedOrder(structuredClone(order), this.now()))
    return 'inserted'
  }

  async get(outTradeNo: string): Promise<OrderRecord | null> {
    const doc = this.docs.get(outTradeNo)
    return doc ? structuredClone(doc) : null
  }

  async listByOpenid(openid: string, cursor: string | undefined, limit: number, filter: OrderFilter = {}): Promise<OrderRecord[]> {
    return [...this.docs.values()]
      .filter((o) => o._openid === openid && (cursor === undefined || o._id < cursor) && matchesFilter(o, filter))
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async transition(outTradeNo: string, to: OrderRecord['status'], patch: Partial<OrderRecord>, guard?: { refundedFee: Fen }): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const ok = !!doc && sourcesOf(to).includes(doc.status) && (guard === undefined || doc.refundedFee === guard.refundedFee)
    if (doc && ok) {
      Object.assign(doc, structuredClone(patch), { status: to, updatedAt: this.now() })
      if (to === 'SUCCESS') doc.fulfilment = { state: INITIAL_FULFILMENT }
    }
    return this.write('transition', outTradeNo, ok)
  }

  async markPaid(outTradeNo: string, from: OrderRecord['status'], paid: PaidFacts): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const ok = !!doc && isPayable(from) && doc.status === from && doc.totalFee === paid.totalFee && doc.mchId === paid.mchId
    if (doc && ok) {
      Object.assign(doc, { status: 'SUCCESS', tradeState: 'SUCCESS', transactionId: paid.transactionId, updatedAt: this.now() })
      if (paid.timeEnd) doc.timeEnd = paid.timeEnd
      doc.fulfilment = { state: INITIAL_FULFILMENT }
    }
    return this.write('markPaid', outTradeNo, ok)
  }

  async patch(outTradeNo: string, whileIn: OrderRecord['status'], patch: Partial<OrderRecord>): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const ok = !!doc && doc.status === whileIn
    if (doc && ok) Object.assign(doc, structuredClone(patch), { updatedAt: this.now() })
    return this.write('patch', outTradeNo, ok)
  }

  async listUnpaid(before: Date, limit: number): Promise<OrderRecord[]> {
    const checked = (o: Stored): number => o.reconciledAt?.getTime() ?? -1
    return [...this.docs.values()]
      .filter((o) => isPayable(o.status) && o.createdAt.getTime() < before.getTime())
      .sort((a, b) => checked(a) - checked(b) || a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async listWithPendingRefunds(limit: number): Promise<OrderRecord[]> {
    const checked = (o: Stored): number => o.refundsCheckedAt?.getTime() ?? -1
    return [...this.docs.values()]
      .filter((o) => o.refundsPending > 0)
      .sort((a, b) => checked(a) - checked(b) || a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async markChecked(outTradeNo: string, what: CheckMark): Promise<void> {
    const doc = this.docs.get(outTradeNo)
    if (doc) doc[what] = this.now()
  }

  async reserveRefund(outTradeNo: string, entry: RefundEntry, expect: { status: OrderRecord['status']; paidFee: Fen }): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const ok =
      !!doc && doc.status === expect.status && doc.refundReservedFee <= expect.paidFee - entry.refundFee && doc.refunds[entry.outRefundNo] === undefined
    if (doc && ok) {
      doc.refundReservedFee = fen(doc.refundReservedFee + entry.refundFee)
      doc.refundsPending += 1
      doc.refunds[entry.outRefundNo] = { ...structuredClone(entry), createdAt: this.now() }
      doc.updatedAt = this.now()
    }
    return this.write('reserveRefund', outTradeNo, ok)
  }

  async settleRefund(
    outTradeNo: string,
    outRefundNo: string,
    refundFee: Fen,
    outcome: { status: 'SUCCESS' } | { status: 'FAILED'; failure: string },
  ): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const entry = doc?.refunds[outRefundNo]
    if (!doc || !entry || entry.refundFee !== refundFee) return this.write('settleRefund', outTradeNo, false)
    if (entry.status === 'PROCESSING') {
      entry.status = outcome.status
      entry.settledAt = this.now()
      doc.refundsPending -= 1
      if (outcome.status === 'SUCCESS') doc.refundedFee = fen(doc.refundedFee + refundFee)
      else {
        entry.failure = outcome.failure.slice(0, 300)
        doc.refundReservedFee = fen(doc.refundReservedFee - refundFee)
      }
      doc.updatedAt = this.now()
      return this.write('settleRefund', outTradeNo, true)
    }
    if (entry.status === 'FAILED' && outcome.status === 'SUCCESS') {
      // Marked FAILED earlier, yet the money went back: the gateway is the truth.
      entry.status = 'SUCCESS'
      entry.settledAt = this.now()
      delete entry.failure
      doc.refundedFee = fen(doc.refundedFee + refundFee)
      doc.refundReservedFee = fen(doc.refundReservedFee + refundFee)
      doc.updatedAt = this.now()
      return this.write('settleRefund', outTradeNo, true)
    }
    return this.write('settleRefund', outTradeNo, false)
  }

  async recordLatePayment(outTradeNo: string, late: NonNullable<OrderRecord['latePayment']>): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const ok = !!doc && isClosedUnpaid(doc.status) && doc.latePayment === undefined
    if (doc && ok) {
      doc.latePayment = structuredClone(late)
      doc.updatedAt = this.now()
    }
    return this.write('recordLatePayment', outTradeNo, ok)
  }

  /** One conditional fulfilment change, on the states and statuses core/fulfilment allows. */
  private fulfil(method: string, outTradeNo: string, to: FulfilmentState, fields: Partial<Fulfilment>): boolean {
    const doc = this.docs.get(outTradeNo)
    const from = doc?.fulfilment
    const ok = !!doc && !!from && fulfilmentSourcesOf(to).includes(from.state) && orderStatusesFor(to).includes(doc.status)
    if (doc && from && ok) {
      Object.assign(from, structuredClone(fields), { state: to })
      doc.updatedAt = this.now()
    }
    return this.write(method, outTradeNo, ok)
  }

  async markShipped(outTradeNo: string, { carrier, trackingNo, at, requestId, upload }: Shipment): Promise<boolean> {
    const shipped = this.fulfil('markShipped', outTradeNo, 'SHIPPED', { carrier, trackingNo, shippedAt: at })
    const doc = this.docs.get(outTradeNo)
    if (shipped && doc && requestId !== undefined) doc.shipRequestId = requestId
    if (shipped && doc && upload) doc.shippingUpload = { state: 'PENDING', attempts: 0 }
    return shipped
  }

  async updateShippingUpload(outTradeNo: string, expect: { attempts: number }, to: ShippingUpload): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const ok = !!doc && doc.shippingUpload?.state === 'PENDING' && doc.shippingUpload.attempts === expect.attempts
    if (doc && ok) {
      doc.shippingUpload = Object.fromEntries(Object.entries(structuredClone(to)).filter(([, v]) => v !== undefined)) as ShippingUpload
      doc.updatedAt = this.now()
    }
    return this.write('updateShippingUpload', outTradeNo, ok)
  }

  async listPendingShippingUploads(limit: number): Promise<OrderRecord[]> {
    const shipped = (o: Stored): number => o.fulfilment?.shippedAt?.getTime() ?? Infinity
    return [...this.docs.values()]
      .filter((o) => o.shippingUpload?.state === 'PENDING')
      .sort((a, b) => shipped(a) - shipped(b))
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async confirmReceipt(outTradeNo: string, { at, auto }: { at: Date; auto: boolean }): Promise<boolean> {
    return this.fulfil('confirmReceipt', outTradeNo, 'RECEIVED', { receivedAt: at, autoReceived: auto })
  }

  async cancelFulfilment(outTradeNo: string, at: Date): Promise<boolean> {
    return this.fulfil('cancelFulfilment', outTradeNo, 'CANCELLED', { cancelledAt: at })
  }

  async listShippedBefore(shippedBy: Date, limit: number): Promise<OrderRecord[]> {
    const shipped = (o: Stored): number => o.fulfilment?.shippedAt?.getTime() ?? Infinity
    return [...this.docs.values()]
      .filter((o) => o.fulfilment?.state === 'SHIPPED' && shipped(o) <= shippedBy.getTime())
      .sort((a, b) => shipped(a) - shipped(b))
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async listCancelledUnrefunded(limit: number): Promise<OrderRecord[]> {
    const checked = (o: Stored): number => o.cancelCheckedAt?.getTime() ?? -1
    return [...this.docs.values()]
      .filter((o) => o.status === 'SUCCESS' && o.fulfilment?.state === 'CANCELLED' && o.refundsPending === 0)
      .sort((a, b) => checked(a) - checked(b) || a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async fileAfterSale(outTradeNo: string, entry: AfterSaleEntry, expect: { paidFee: Fen }): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const state = doc?.fulfilment?.state
    const ok =
      !!doc &&
      doc.status === 'SUCCESS' &&
      state !== undefined &&
      AFTER_SALE_FULFILMENT.includes(state) &&
      doc.refundReservedFee < expect.paidFee &&
      !hasPendingAfterSale(doc) &&
      doc.afterSales[entry.id] === undefined
    if (doc && ok) {
      doc.afterSales[entry.id] = { ...structuredClone(entry), createdAt: this.now() }
      doc.updatedAt = this.now()
    }
    return this.write('fileAfterSale', outTradeNo, ok)
  }

  private staffMatches(query: StaffOrderQuery): Stored[] {
    return [...this.docs.values()]
      .filter(
        (o) =>
          (query.outTradeNo === undefined || o._id === query.outTradeNo) &&
          (query.mobile === undefined || o.address?.mobile === query.mobile) &&
          (query.status === undefined || o.status === query.status) &&
          (query.fulfilment === undefined || o.fulfilment?.state === query.fulfilment) &&
          (query.from === undefined || o.createdAt.getTime() >= query.from.getTime()) &&
          (query.to === undefined || o.createdAt.getTime() < query.to.getTime()),
      )
      .sort((a, b) => (a._id < b._id ? 1 : -1))
  }

  async listForStaff(query: StaffOrderQuery, cursor: string | undefined, limit: number): Promise<OrderRecord[]> {
    return this.staffMatches(query)
      .filter((o) => cursor === undefined || o._id < cursor)
      .slice(0, limit)
      .map((o) => structuredClone(o))
  }

  async totalsForStaff(query: StaffOrderQuery, limit: number): Promise<StaffOrderTotals> {
    const all = this.staffMatches(query)
    const read = all.slice(0, limit)
    return {
      orders: read.length,
      paidFee: fen(read.reduce((sum, o) => sum + paidAmount(o), 0)),
      refundedFee: fen(read.reduce((sum, o) => sum + o.refundedFee, 0)),
      capped: all.length > limit,
    }
  }

  async decideAfterSale(outTradeNo: string, id: string, decision: AfterSaleDecision): Promise<boolean> {
    const doc = this.docs.get(outTradeNo)
    const entry = doc?.afterSales[id]
    const ok = !!doc && entry?.state === 'PENDING'
    if (doc && entry && ok) {
      entry.state = decision.state
      entry.decidedAt = decision.decidedAt
      if (decision.reply !== undefined) entry.reply = decision.reply
      doc.updatedAt = this.now()
    }
    return this.write('decideAfterSale', outTradeNo, ok)
  }
}

/** `staff_audit` in memory: insert-once by requestId, as adapters/staffAudit.ts. */
export class MemoryAudit implements StaffAudit {
  readonly records = new Map<string, StaffAuditRecord>()
  async record(entry: StaffAuditRecord): Promise<'inserted' | 'exists'> {
    if (this.records.has(entry.requestId)) return 'exists'
    this.records.set(entry.requestId, structuredClone(entry))
    return 'inserted'
  }
  async get(requestId: string): Promise<StaffAuditRecord | null> {
    const found = this.records.get(requestId)
    return found ? structuredClone(found) : null
  }
  async listFor(outTradeNo: string, limit: number): Promise<StaffAuditRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.outTradeNo === outTradeNo)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, limit)
      .map((r) => structuredClone(r))
  }
}

export class MemoryEvents implements EventLog {
  readonly events: PaymentEvent[] = []
  async record(event: PaymentEvent): Promise<void> {
    this.events.push(structuredClone(event))
  }
}

/** Payment events that also remember when they arrived, readable back as `payment_events` are (PaymentHistory). */
export class MemoryHistory extends MemoryEvents implements PaymentHistory {
  readonly received: Array<PaymentEvent & { receivedAt: Date }> = []
  constructor(private readonly clock: MemoryClock) {
    super()
  }
  override async record(event: PaymentEvent): Promise<void> {
    await super.record(event)
    this.received.push({ ...structuredClone(event), receivedAt: new Date(this.clock.now()) })
  }
  async listFor(outTradeNo: string, limit: number): Promise<Array<PaymentEvent & { receivedAt: Date }>> {
    return this.received.filter((e) => e.outTradeNo === outTradeNo).slice(0, limit)
  }
}

export class MemoryRequests implements OrderRequests {
  readonly claims = new Map<string, { outTradeNo: string; fingerprint: string }>()
  async claim(openid: string, requestId: string, outTradeNo: string, fingerprint: string): Promise<{ outTradeNo: string; fingerprint: string }> {
    const key = `${openid}\u0000${requestId}`
    const held = this.claims.get(key)
    if (held) return { ...held }
    this.claims.set(key, { outTradeNo, fingerprint })
    return { outTradeNo, fingerprint }
  }
}

type GoodsDoc = Record<string, unknown> & { _id: string }

export class MemoryGoods implements GoodsRepository {
  /**
   * Stored documents that do not parse as goods (a price in yuan, no name): read and counted in
   * `scanned`, then skipped, as adapters/goodsRepository.ts does.
   */
  readonly malformed: GoodsDoc[] = []

  constructor(readonly goods: Goods[]) {}

  private docs(): GoodsDoc[] {
    return [...this.goods, ...this.malformed]
  }

  async findByIds(ids: string[]): Promise<Goods[]> {
    return parsed(this.docs().filter((doc) => ids.includes(doc._id)))
  }

  async listOnSale(cursor: string | undefined, limit: number): Promise<{ goods: Goods[]; scanned: number; lastId?: string }> {
    const page = this.docs()
      .filter((doc) => doc['onSale'] === true && (cursor === undefined || doc._id > cursor))
      .sort((a, b) => (a._id < b._id ? -1 : 1))
      .slice(0, limit)
    const last = page[page.length - 1]
    return { goods: parsed(page), scanned: page.length, ...(last ? { lastId: last._id } : {}) }
  }
}

function parsed(docs: GoodsDoc[]): Goods[] {
  return docs.flatMap((doc) => {
    const goods = parseGoods(structuredClone(doc))
    return goods ? [goods] : []
  })
}

type GatewayCall = { api: string; args: unknown[] }

/**
 * A pay gateway whose answers the test sets: `trades` for queryOrder, `closes` for closeOrder,
 * `refundAnswers` for queryRefund; `failNext` makes the next call of an API throw.
 */
export class ScriptedGateway implements PayGateway {
  readonly calls: GatewayCall[] = []
  readonly trades = new Map<string, TradeQueryResult>()
  readonly closes = new Map<string, CloseResult>()
  readonly refundAnswers = new Map<string, RefundQueryResult>()
  readonly failNext = new Map<string, unknown>()
  canRefund: unknown = undefined
  prepays = 0

  constructor(
    readonly mode: PayMode = 'cloudpay',
    readonly mchId = '1900000109',
  ) {}

  private take(api: string, args: unknown[]): void {
    this.calls.push({ api, args })
    if (this.failNext.has(api)) {
      const error = this.failNext.get(api)
      this.failNext.delete(api)
      throw error
    }
  }

  callsOf(api: string): unknown[][] {
    return this.calls.filter((c) => c.api === api).map((c) => c.args)
  }

  /**
   * Like WeChat Pay when set: an order number prepaid again with the same parameters answers the
   * same prepay, with other parameters is refused (商户订单号重复). Off, every call is a new prepay.
   */
  numbersOnce = false
  private readonly prepaid = new Map<string, { request: string; answer: { prepayId: string; payment: PaymentParams } }>()

  async unifiedOrder(request: UnifiedOrderRequest): Promise<{ prepayId: string; payment: PaymentParams }> {
    this.take('unifiedOrder', [request])
    const earlier = this.numbersOnce ? this.prepaid.get(request.outTradeNo) : undefined
    if (earlier) {
      if (earlier.request === JSON.stringify(request)) return structuredClone(earlier.answer)
      throw gatewayRefusal(this.mchId, 'OUT_TRADE_NO_USED', '商户订单号重复')
    }
    const prepayId = `wx-prepay-${++this.prepays}`
    const answer = { prepayId, payment: { timeStamp: '1764295200', nonceStr: 'n', package: `prepay_id=${prepayId}`, signType: 'MD5' as const, paySign: 'S' } }
    this.prepaid.set(request.outTradeNo, { request: JSON.stringify(request), answer })
    return structuredClone(answer)
  }

  async queryOrder(outTradeNo: string): Promise<TradeQueryResult> {
    this.take('queryOrder', [outTradeNo])
    return this.trades.get(outTradeNo) ?? { found: false }
  }

  async closeOrder(outTradeNo: string): Promise<CloseResult> {
    this.take('closeOrder', [outTradeNo])
    return this.closes.get(outTradeNo) ?? { closed: true }
  }

  assertCanRefund(): void {
    if (this.canRefund !== undefined) throw this.canRefund
  }

  async refund(request: RefundRequest): Promise<void> {
    this.take('refund', [request])
  }

  async queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundQueryResult> {
    this.take('queryRefund', [outTradeNo, outRefundNo])
    return this.refundAnswers.get(outRefundNo) ?? { found: false }
  }
}

/** WeChat's shipping-information upload: records every upload and answers from `answers` in order, then `ok`. */
export class ScriptedShipping implements ShippingPort {
  readonly uploads: ShipmentInput[] = []
  readonly answers: ShippingOutcome[] = []

  async upload(input: ShipmentInput): Promise<ShippingOutcome> {
    this.uploads.push(structuredClone(input))
    return this.answers.shift() ?? { kind: 'ok' }
  }
}

export type MemoryWorld = CreateOrderDeps &
  StaffDeps & {
    clock: MemoryClock
    orders: MemoryOrders
    events: MemoryEvents
    gateway: ScriptedGateway
    requests: MemoryRequests
    goods: MemoryGoods
    shipping: ScriptedShipping
  }

export const GOODS: Goods[] = [
  { _id: 'coffee', name: '挂耳咖啡', description: '', priceFen: 1990 as Fen, pic: '/c.png', pics: ['/c.png'], onSale: true },
  { _id: 'tea', name: '红茶', description: '', priceFen: 2900 as Fen, pic: '/t.png', pics: ['/t.png', '/t-2.png'], onSale: true },
  { _id: 'old', name: '旧款', description: '', priceFen: 100 as Fen, pic: '/o.png', pics: ['/o.png'], onSale: false },
]

/** Every dependency of every use case, in memory; `admins` holds the staff OPENID 'staff-1'. */
export function memoryWorld(options: { mode?: PayMode; mchId?: string } = {}): MemoryWorld {
  const clock = new MemoryClock()
  let counter = 0
  return {
    clock,
    orders: new MemoryOrders(clock),
    events: new MemoryEvents(),
    gateway: new ScriptedGateway(options.mode, options.mchId),
    requests: new MemoryRequests(),
    goods: new MemoryGoods(GOODS.map((g) => ({ ...g }))),
    shipping: new ScriptedShipping(),
    admins: new Set(['staff-1']),
    // Deterministic but never repeating: each call fills with a new counter.
    randomBytes: (n: number) => Uint8Array.from({ length: n }, (_, i) => (counter++ * 7 + i * 13) % 248),
  }
}

/** An order as it is stored, in `status`, paid in full where that fits. */
export function storedOrder(overrides: Partial<OrderRecord> & { outTradeNo: string }, clock: MemoryClock): OrderRecord {
  const now = new Date(clock.now())
  return {
    _id: overrides.outTradeNo,
    _openid: 'shopper-1',
    items: [{ goodsId: 'coffee', name: '挂耳咖啡', priceFen: fen(1990), quantity: 1, pic: '/c.png' }],
    totalFee: fen(1990),
    status: 'NOTPAY',
    mode: 'cloudpay',
    mchId: '1900000109',
    refundReservedFee: fen(0),
    refundedFee: fen(0),
    refundsPending: 0,
    refunds: {},
    afterSales: {},
    createdAt: now,
    updatedAt: now,
    expireAt: new Date(clock.now() + 2 * 3600_000),
    // A paid order has its fulfilment from the update that marked it paid.
    ...(overrides.status === 'SUCCESS' || overrides.status === 'REFUND' ? { fulfilment: { state: INITIAL_FULFILMENT } } : {}),
    ...overrides,
  }
}
