import { Text } from '@tarojs/components'
import type { OrderStatus } from '../../cloud/payment/contracts'
import { orderStatus, type OrderLabelInput } from './orderStatus'
import './StatusBadge.scss'

export { orderLabel, orderStatus, type OrderLabel, type OrderLabelInput, type OrderTone } from './orderStatus'

type Props =
  | { order: OrderLabelInput }
  /** @deprecated Pass the `order`: the status alone cannot tell 待发货 from 待收货 or 已完成 (it reads 已支付). */
  | { status: OrderStatus }

/** An order's state as one coloured label, the same words as `orderLabel` everywhere. */
export function StatusBadge(props: Props) {
  const { label, tone } = orderStatus('order' in props ? props.order : { status: props.status })
  return <Text className={`status-badge status-badge--${tone}`}>{label}</Text>
}
