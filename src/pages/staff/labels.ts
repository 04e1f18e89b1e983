import { type FulfilmentState, type OrderStatus } from '../../../cloud/payment/contracts'
import { carrierName as nameOf, type StaffTimelineEntry } from '../../../cloud/payment/staffContracts'
import type { OrderTone } from '../../components/orderStatus'
import type { UploadState } from '../../services/staff'

// The console's words: staff say 已发货 where the shopper reads 待收货, and see the payment and
// the goods apart. The colours are the shop's badge tones (components/StatusBadge.scss).

export type Badge = { label: string; tone: OrderTone }

export const STATUS_LABELS: Record<OrderStatus, string> = { NOTPAY: '待付款', SUCCESS: '已支付', REFUND: '有退款', CLOSED: '已关闭', PAYERROR: '支付失败' }
export const FULFILMENT_LABELS: Record<FulfilmentState, string> = { PENDING: '待发货', SHIPPED: '已发货', RECEIVED: '已收货', CANCELLED: '已取消' }
export { NO_LOGISTICS_LABELS } from '../../../cloud/payment/staffContracts'
export const UPLOAD_BADGES: Record<UploadState, Badge> = {
  UPLOADED: { label: '已同步微信', tone: 'paid' },
  PENDING: { label: '待同步微信', tone: 'unpaid' },
  FAILED: { label: '同步微信失败', tone: 'failed' },
}

/** Where an order is, in one word for staff. */
export function staffBadge(order: { status: OrderStatus; fulfilment: FulfilmentState | null; paidFee: number; refundedFee: number }): Badge {
  if (order.status === 'NOTPAY') return { label: '待付款', tone: 'unpaid' }
  if (order.status === 'PAYERROR') return { label: '支付失败', tone: 'failed' }
  if (order.status === 'CLOSED') return { label: '已关闭', tone: 'closed' }
  if (order.fulfilment === 'CANCELLED') return { label: '已取消', tone: 'refunded' }
  if (order.paidFee > 0 && order.refundedFee >= order.paidFee) return { label: '已退款', tone: 'refunded' }
  if (order.fulfilment === 'PENDING') return { label: '待发货', tone: 'to-ship' }
  if (order.fulfilment === 'SHIPPED') return { label: '已发货', tone: 'to-receive' }
  if (order.fulfilment === 'RECEIVED') return { label: '已收货', tone: 'done' }
  return { label: '已支付', tone: 'paid' }
}

/** 顺丰速运 for `SF`, 到店自提 for `PICKUP`; an unknown code as it is. */
export function carrierName(code: string | null): string {
  return code ? nameOf(code) : '—'
}

const SOURCE_LABELS: Record<StaffTimelineEntry['source'], string> = { order: '订单', payment: '支付', staff: '操作' }
const KIND_LABELS: Record<string, string> = {
  created: '下单',
  afterSale_requested: '买家申请售后',
  payment_notify: '支付通知',
  payment_query: '查询支付',
  refund_request: '申请退款',
  refund_notify: '退款通知',
  refund_query: '查询退款',
  close: '关闭订单',
  ship: '发货',
  refund: '退款',
  afterSale: '处理售后',
}
const OUTCOME_LABELS: Record<string, string> = {
  ok: '成功',
  applied: '已处理',
  duplicate: '重复',
  rejected: '未采纳',
  no_change: '无变化',
  needs_refund: '待退款',
  failed: '处理失败',
}

/** One timeline entry's heading: 支付 · 支付通知 · 已处理; the server's detail is shown beneath it as it is. */
export function timelineTitle(entry: StaffTimelineEntry): string {
  const [kind = '', outcome] = entry.kind.split(':')
  const words = [SOURCE_LABELS[entry.source], KIND_LABELS[kind] ?? kind]
  if (outcome) words.push(OUTCOME_LABELS[outcome] ?? `未完成（${outcome}）`)
  return words.join(' · ')
}
