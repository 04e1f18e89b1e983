import { FULFILMENT_STATES, ORDER_STATUSES, type FulfilmentState, type OrderStatus } from '../../cloud/payment/contracts'
import {
  NO_LOGISTICS,
  type NoLogistics,
  type StaffAfterSaleEvent,
  type StaffCarrier,
  type StaffOrderEvent,
  type StaffOrdersEvent,
  type StaffOrderSummary,
  type StaffOrderView,
  type StaffRefundEvent,
  type StaffRefundView,
  type StaffShipEvent,
  type StaffShippingUploadView,
  type StaffTimelineEntry,
  type StaffTotals,
} from '../../cloud/payment/staffContracts'
import { isRecord } from '../utils/guards'
import { bad, parseOrder } from './parse'
import type { Transport } from './transport'

// The staff console's one function (`staff`), typed per action. Every answer is parsed: junk is
// BAD_RESPONSE, never a page that renders `undefined`.

export type UploadState = StaffShippingUploadView['state']
/** A row of the list (with the shipping upload's state once shipped). */
export type StaffOrderRow = StaffOrderSummary
export type StaffOrdersPage = { items: StaffOrderRow[]; nextCursor: string | null; totals: StaffTotals }
export type StaffOrdersQuery = Omit<StaffOrdersEvent, 'action'>
/** The events below without `action`: what a caller fills in. */
type Input<T> = T extends unknown ? Omit<T, 'action'> : never
export type ShipInput = Input<StaffShipEvent>
export type RefundInput = Input<StaffRefundEvent>
export type AfterSaleInput = Input<StaffAfterSaleEvent>

const str = (v: unknown): v is string => typeof v === 'string'
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string'
const fen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => (list as readonly unknown[]).includes(v)
const UPLOAD_STATES = ['PENDING', 'UPLOADED', 'FAILED'] as const
const SOURCES = ['order', 'payment', 'staff'] as const

function parseTotals(value: unknown): StaffTotals {
  if (!isRecord(value) || !fen(value['orders']) || !fen(value['paidFee']) || !fen(value['refundedFee']) || typeof value['capped'] !== 'boolean')
    throw bad('staff totals', value)
  return { orders: value['orders'], paidFee: value['paidFee'], refundedFee: value['refundedFee'], capped: value['capped'] }
}

/** The row's upload state: a bare state or an upload view; anything else is no state. */
function uploadStateOf(value: unknown): UploadState | null {
  const state = isRecord(value) ? value['state'] : value
  return oneOf(UPLOAD_STATES, state) ? state : null
}

function parseRow(value: unknown): StaffOrderRow {
  if (!isRecord(value)) throw bad('staff order', value)
  const v = value
  const status: unknown = v['status']
  const fulfilment: unknown = v['fulfilment'] ?? null
  if (!str(v['outTradeNo']) || !oneOf(ORDER_STATUSES, status) || !(fulfilment === null || oneOf(FULFILMENT_STATES, fulfilment))) throw bad('staff order', value)
  if (!fen(v['totalFee']) || !fen(v['paidFee']) || !fen(v['refundedFee']) || !str(v['createdAt'])) throw bad('staff order', value)
  if (!strOrNull(v['recipient'] ?? null) || !strOrNull(v['mobile'] ?? null)) throw bad('staff order', value)
  return {
    outTradeNo: v['outTradeNo'],
    status: status as OrderStatus,
    fulfilment: fulfilment as FulfilmentState | null,
    totalFee: v['totalFee'],
    paidFee: v['paidFee'],
    refundedFee: v['refundedFee'],
    recipient: (v['recipient'] as string | null | undefined) ?? null,
    mobile: (v['mobile'] as string | null | undefined) ?? null,
    createdAt: v['createdAt'],
    afterSalePending: v['afterSalePending'] === true,
    shippingUpload: uploadStateOf(v['shippingUpload']),
  }
}

export function parseStaffOrders(value: unknown): StaffOrdersPage {
  if (!isRecord(value) || !Array.isArray(value['items']) || !strOrNull(value['nextCursor'] ?? null)) throw bad('staff orders', value)
  return {
    items: value['items'].map(parseRow),
    nextCursor: (value['nextCursor'] as string | null | undefined) ?? null,
    totals: parseTotals(value['totals']),
  }
}

function parseUpload(value: unknown): StaffShippingUploadView | null {
  if (value === null || value === undefined) return null
  if (!isRecord(value) || !oneOf(UPLOAD_STATES, value['state']) || !fen(value['attempts']) || !str(value['note'])) throw bad('shipping upload', value)
  if (!strOrNull(value['lastError'] ?? null) || !strOrNull(value['uploadedAt'] ?? null)) throw bad('shipping upload', value)
  return {
    state: value['state'],
    attempts: value['attempts'],
    lastError: (value['lastError'] as string | null | undefined) ?? null,
    uploadedAt: (value['uploadedAt'] as string | null | undefined) ?? null,
    note: value['note'],
  }
}

function parseEntry(value: unknown): StaffTimelineEntry {
  if (!isRecord(value) || !str(value['at']) || !oneOf(SOURCES, value['source']) || !str(value['kind']) || !str(value['detail'])) throw bad('timeline', value)
  return { at: value['at'], source: value['source'], kind: value['kind'], detail: value['detail'] }
}

/** A staff refund: the shopper's refund view (parsed by the shop's own parser) and who, why, what failed. */
function staffRefunds(raw: unknown, parsed: ReturnType<typeof parseOrder>['refunds']): StaffRefundView[] {
  const list = Array.isArray(raw) ? raw : []
  return parsed.map((refund, i) => {
    const extra: unknown = list[i]
    if (!isRecord(extra) || !str(extra['requestedBy'] ?? '') || !strOrNull(extra['reason'] ?? null) || !strOrNull(extra['failure'] ?? null))
      throw bad('staff refund', extra)
    return {
      ...refund,
      requestedBy: (extra['requestedBy'] as string | undefined) ?? '',
      reason: (extra['reason'] as string | null | undefined) ?? null,
      failure: (extra['failure'] as string | null | undefined) ?? null,
    }
  })
}

export function parseStaffOrder(value: unknown): StaffOrderView {
  if (!isRecord(value)) throw bad('staff order', value)
  const v = value
  if (!str(v['openid']) || !str(v['mode']) || !Array.isArray(v['timeline'])) throw bad('staff order', value)
  if (![v['paidFee'], v['refundReservedFee'], v['refundedFee'], v['refundable']].every(fen)) throw bad('staff order', value)
  // The parts the shopper's order shares (items, address, fulfilment, refunds, after-sale) go
  // through the shop's own order parser, so both sides read them by one set of rules.
  const shared = parseOrder({ ...v, expireAt: v['createdAt'], actions: {} })
  const noLogistics: unknown = isRecord(v['fulfilment']) ? (v['fulfilment']['noLogistics'] ?? null) : null
  if (!(noLogistics === null || oneOf(NO_LOGISTICS, noLogistics))) throw bad('staff order', value)
  return {
    outTradeNo: shared.outTradeNo,
    openid: v['openid'],
    status: shared.status,
    mode: v['mode'],
    items: shared.items,
    totalFee: shared.totalFee,
    paidFee: v['paidFee'] as number,
    refundReservedFee: v['refundReservedFee'] as number,
    refundedFee: v['refundedFee'] as number,
    refundable: v['refundable'] as number,
    transactionId: shared.transactionId,
    paidAt: shared.paidAt,
    createdAt: shared.createdAt,
    address: shared.address,
    note: shared.note,
    fulfilment: shared.fulfilment ? { ...shared.fulfilment, noLogistics: noLogistics as NoLogistics | null } : null,
    refunds: staffRefunds(v['refunds'], shared.refunds),
    afterSales: shared.afterSales,
    timeline: v['timeline'].map(parseEntry),
    shippingUpload: parseUpload(v['shippingUpload']),
  }
}

/** One typed call per staff action; pages reach these only through the staff store. */
export function createStaffApi(call: Transport) {
  const staff = (event: StaffOrdersEvent | StaffOrderEvent | StaffShipEvent | StaffRefundEvent | StaffAfterSaleEvent): Promise<unknown> =>
    call('staff', { ...event })
  return {
    async orders(query: StaffOrdersQuery = {}): Promise<StaffOrdersPage> {
      return parseStaffOrders(await staff({ action: 'orders', ...query }))
    },
    async order(outTradeNo: string): Promise<StaffOrderView> {
      return parseStaffOrder(await staff({ action: 'order', outTradeNo }))
    },
    /** `requestId`: the same for retries of one shipment, so a lost answer never ships twice. */
    async ship(input: ShipInput): Promise<StaffOrderView> {
      return parseStaffOrder(await staff({ action: 'ship', ...input }))
    },
    /** `refundFee` in fen; without it everything still refundable. `requestId` as for ship. */
    async refund(input: RefundInput): Promise<StaffOrderView> {
      return parseStaffOrder(await staff({ action: 'refund', ...input }))
    },
    async decideAfterSale(input: AfterSaleInput): Promise<StaffOrderView> {
      return parseStaffOrder(await staff({ action: 'afterSale', ...input }))
    },
  }
}

export type StaffApi = ReturnType<typeof createStaffApi>
export type { StaffCarrier, NoLogistics }
