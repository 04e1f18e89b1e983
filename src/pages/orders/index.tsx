import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import type { OrderView } from '../../../cloud/payment/contracts'
import { Empty, ErrorRetry, Skeleton } from '../../components/States'
import { StatusBadge } from '../../components/StatusBadge'
import { useOrders } from '../../stores'
import { formatFen } from '../../utils/money'
import { formatTime } from '../../utils/time'
import './index.scss'

function OrderRow({ order }: { order: OrderView }) {
  const first = order.items[0]?.name ?? '订单'
  const count = order.items.reduce((n, item) => n + item.quantity, 0)
  return (
    <View className="order-row" onClick={() => void Taro.navigateTo({ url: `/pages/order/index?outTradeNo=${order.outTradeNo}` })}>
      <View className="order-row__head">
        <Text className="order-row__time">{formatTime(order.createdAt)}</Text>
        <StatusBadge status={order.status} />
      </View>
      <Text className="order-row__title">{count > 1 ? `${first} 等 ${count} 件` : first}</Text>
      <View className="order-row__foot">
        <Text className="order-row__no">{order.outTradeNo}</Text>
        <Text className="order-row__amount">{formatFen(order.totalFee)}</Text>
      </View>
    </View>
  )
}

export default function Orders() {
  const ids = useOrders((s) => s.list.ids)
  const byId = useOrders((s) => s.byId)
  const status = useOrders((s) => s.list.status)
  const error = useOrders((s) => s.list.error)
  const nextCursor = useOrders((s) => s.list.nextCursor)
  const refreshList = useOrders((s) => s.refreshList)
  const loadMore = useOrders((s) => s.loadMore)

  // Every visit shows the server's current state (an order paid a moment ago, say).
  useDidShow(() => void refreshList())
  usePullDownRefresh(() => {
    void refreshList().then(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void loadMore())

  if (ids.length === 0) {
    if (status === 'idle' || status === 'loading') return <Skeleton rows={3} />
    if (status === 'error') return <ErrorRetry message={error?.message ?? '加载失败'} onRetry={() => void refreshList()} />
    return <Empty text="还没有订单" action="去逛逛" onAction={() => void Taro.switchTab({ url: '/pages/index/index' })} />
  }
  return (
    <View className="orders">
      {ids.map((id) => {
        const order = byId[id]
        return order ? <OrderRow key={id} order={order} /> : null
      })}
      <View className="orders__more" onClick={() => void loadMore()}>
        {status === 'loading' ? '加载中…' : nextCursor ? '加载更多' : '没有更多了'}
      </View>
    </View>
  )
}
