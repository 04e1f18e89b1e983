import { AUTO_RECEIVE_DAYS, type OrderView } from '../../../cloud/payment/contracts'
import type { OrderTone } from '../../components/orderStatus'
import { formatFen } from '../../utils/money'
import { formatTime } from '../../utils/time'
import { shopperStatus } from '../orders/orderLabel'

/** The order page's header: the label, and what it means for the shopper now. */
export type StatusView = { title: string; tone: OrderTone; lines: string[]; tracking: { carrier: string; trackingNo: string } | null }

const BACK_TO = '原路退回微信零钱或原支付方式'

/**
 * `left` is the time left to pay as the page counts it (null once it ran out): an order whose
 * time ran out on screen reads as closed before the server is asked again.
 */
export function statusView(order: OrderView, left: string | null): StatusView {
  const { label, tone } = shopperStatus(order)
  const view = (lines: string[], tracking: StatusView['tracking'] = null): StatusView => ({ title: label, tone, lines, tracking })
  if (order.status === 'NOTPAY' || order.status === 'PAYERROR') {
    if (order.payment === null || left === null) return { title: '已取消', tone: 'closed', lines: ['订单已超时关闭'], tracking: null }
    return view(order.status === 'PAYERROR' ? ['上次支付未成功，可以重新支付', `剩余支付时间 ${left}`] : [`剩余支付时间 ${left}`, '超时未支付，订单将自动关闭'])
  }
  if (order.status === 'CLOSED') return view(['订单已关闭，没有扣款'])
  if (tone === 'refunding') {
    const processing = order.refunds.filter((r) => r.status === 'PROCESSING').reduce((sum, r) => sum + r.refundFee, 0)
    const amount = processing > 0 ? processing : order.totalFee - order.refundedFee
    return view([`退款 ${formatFen(amount)} 正在处理，将${BACK_TO}`])
  }
  if (tone === 'refunded') return view([`${formatFen(order.refundedFee)} 已${BACK_TO}`])
  const f = order.fulfilment
  const tracking = f?.trackingNo ? { carrier: f.carrier ?? '快递', trackingNo: f.trackingNo } : null
  // Without a tracking number (同城配送, 自提…) the way it comes is the news.
  const way = !tracking && f?.carrier ? [`配送方式 ${f.carrier}`] : []
  if (f?.state === 'SHIPPED') return view([...way, `已发货 ${formatTime(f.shippedAt)}`, `发货 ${AUTO_RECEIVE_DAYS} 天后将自动确认收货`], tracking)
  if (f?.state === 'RECEIVED') return view([`${f.autoReceived ? '已自动确认收货' : '已确认收货'} ${formatTime(f.receivedAt)}`], tracking)
  return view(['商家正在备货，发货后可在这里查看物流'])
}
