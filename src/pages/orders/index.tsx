import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { ORDER_TABS, type OrderTab, type OrderView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { GoodsImage } from '../../components/GoodsImage'
import { Price } from '../../components/Price'
import { pressable } from '../../components/pressable'
import { Empty, ErrorRetry, ListFooter, Skeleton } from '../../components/States'
import { StatusBadge } from '../../components/StatusBadge'
import { isStaff, ordersStore, useOrders } from '../../stores'
import { formatTime, remaining } from '../../utils/time'
import { amountLabel, badgeInput, kindsOf } from './orderLabel'
import { useNow } from '../../utils/useNow'
import './index.scss'

const toConsole = (): void => void Taro.navigateTo({ url: '/pages/staff/orders/index' })

const TAB_NAMES: Record<OrderTab, string> = { ALL: '全部', UNPAID: '待付款', TO_SHIP: '待发货', TO_RECEIVE: '待收货', AFTER_SALE: '退款售后' }
const EMPTY_TEXT: Record<OrderTab, string> = {
  ALL: '还没有订单',
  UNPAID: '没有待付款的订单',
  TO_SHIP: '没有待发货的订单',
  TO_RECEIVE: '没有待收货的订单',
  AFTER_SALE: '没有退款或售后的订单',
}

/** `?tab=TO_SHIP` opens that tab; anything else opens 全部. */
const tabFrom = (raw: string | undefined): OrderTab => ORDER_TABS.find((tab) => tab === raw) ?? 'ALL'

const openOrder = (outTradeNo: string): void => void Taro.navigateTo({ url: `/pages/order/index?outTradeNo=${encodeURIComponent(outTradeNo)}` })

function OrderRow({ order, now }: { order: OrderView; now: number }) {
  const first = order.items[0]
  const kinds = kindsOf(order)
  // The server says whether it can be paid; the clock only hides the button once time is up.
  const left = order.actions.pay ? remaining(order.expireAt, now) : null
  const afterSalePending = order.afterSales.some((request) => request.state === 'PENDING')
  const open = (): void => openOrder(order.outTradeNo)
  return (
    <View className="order-row" data-no={order.outTradeNo}>
      {/* The row opens the order; 去支付 sits beside it, not inside (no button within a link). */}
      <View className="order-row__main" role="link" onClick={open} {...pressable(open)}>
        <View className="order-row__head">
          <Text className="order-row__time">{formatTime(order.createdAt)}</Text>
          <StatusBadge order={badgeInput(order)} />
        </View>
        <View className="order-row__body">
          {first ? <GoodsImage className="order-row__pic" src={first.pic} alt={first.name} lazy /> : null}
          <View className="order-row__info">
            <Text className="order-row__name">{first?.name ?? '订单'}</Text>
            <Text className="order-row__kinds">{kinds > 1 ? `等 ${kinds} 种商品` : `共 ${first?.quantity ?? 0} 件`}</Text>
            {afterSalePending ? <Text className="order-row__note">售后处理中</Text> : null}
          </View>
          <View className="order-row__amount">
            <Text className="order-row__amount-label">{amountLabel(order)}</Text>
            <Price fen={order.totalFee} size="small" className="order-row__amount-value" />
          </View>
        </View>
      </View>
      {left ? (
        <View className="order-row__foot">
          <Action small kind="primary" className="order-row__pay" label={`去支付，剩余 ${left}`} onClick={open}>
            去支付 {left}
          </Action>
        </View>
      ) : null}
    </View>
  )
}

export default function Orders() {
  const { params } = useRouter()
  const [tab, setTab] = useState<OrderTab>(() => tabFrom(params['tab']))
  const list = useOrders((s) => s.lists[tab])
  const byId = useOrders((s) => s.byId)
  const refreshList = useOrders((s) => s.refreshList)
  const loadMore = useOrders((s) => s.loadMore)
  const orders = list.ids.map((id) => byId[id]).filter((order): order is OrderView => order !== undefined)
  const now = useNow(orders.some((order) => order.actions.pay))

  // Every visit shows the server's current state (an order paid a moment ago, say). The H5 build
  // can miss the first show of a freshly loaded page, so the first load also starts on mount (a
  // list already loading is not asked twice).
  useDidShow(() => void refreshList(tab))
  useEffect(() => {
    if (ordersStore.getState().lists[tab].status === 'idle') void refreshList(tab)
  }, []) // once, for the tab the page opened on
  usePullDownRefresh(() => {
    void refreshList(tab).then(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void loadMore(tab))

  // Staff reach the console from here; shoppers never see the entry (the server decides: `me`).
  const [staff, setStaff] = useState(false)
  useEffect(() => void isStaff().then(setStaff), [])

  const choose = (next: OrderTab): void => {
    if (next === tab) return
    setTab(next)
    void refreshList(next)
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 })
  }
  // A failed next page retries that page; a failed refresh starts again.
  const retry = (): void => void (list.nextCursor ? loadMore(tab) : refreshList(tab))

  let content
  if (orders.length === 0) {
    if (list.status === 'idle' || list.status === 'loading') content = <Skeleton rows={3} />
    else if (list.status === 'error') content = <ErrorRetry message={list.error?.message ?? '加载失败'} onRetry={() => void refreshList(tab)} />
    else content = <Empty text={EMPTY_TEXT[tab]} action="去逛逛" onAction={() => void Taro.switchTab({ url: '/pages/index/index' })} />
  } else {
    content = (
      <View className="orders__list">
        {orders.map((order) => (
          <OrderRow key={order.outTradeNo} order={order} now={now} />
        ))}
        <ListFooter list={list} onMore={retry} />
      </View>
    )
  }

  return (
    <View className="orders" role="main">
      <View className="orders-tabs" role="tablist" aria-label="订单分类">
        {ORDER_TABS.map((name) => (
          <View
            key={name}
            className={`orders-tabs__tab ${name === tab ? 'orders-tabs__tab--on' : ''}`}
            role="tab"
            aria-selected={name === tab ? 'true' : 'false'}
            onClick={() => choose(name)}
            {...pressable(() => choose(name))}
          >
            <Text className="orders-tabs__text">{TAB_NAMES[name]}</Text>
          </View>
        ))}
      </View>
      {staff ? (
        <View className="orders__staff" role="link" onClick={toConsole} {...pressable(toConsole)}>
          <Text className="orders__staff-text">商家后台</Text>
        </View>
      ) : null}
      {content}
    </View>
  )
}
