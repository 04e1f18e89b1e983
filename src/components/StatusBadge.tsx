import { Text } from '@tarojs/components'
import type { OrderStatus } from '../../cloud/payment/contracts'
import './StatusBadge.scss'

const LABELS: Record<OrderStatus, string> = { NOTPAY: '待支付', SUCCESS: '已支付', REFUND: '已退款', CLOSED: '已关闭', PAYERROR: '支付失败' }

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <Text className={`status-badge status-badge--${status.toLowerCase()}`}>{LABELS[status]}</Text>
}
