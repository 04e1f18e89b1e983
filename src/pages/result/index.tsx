import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import type { OrderView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { Cashier } from '../../components/Cashier'
import { Price } from '../../components/Price'
import { ErrorRetry, Skeleton } from '../../components/States'
import { useOrders } from '../../stores'
import type { PayPhase } from '../../stores/orders'
import { remaining } from '../../utils/time'
import { useNow } from '../../utils/useNow'
import './index.scss'

/** `tone` colours the round icon, `icon` is drawn in it (decoration: the title says the same). */
type Shown = { tone: 'success' | 'waiting' | 'failure'; icon: '✓' | '…' | '!'; title: string; detail: string }

/** What the shopper is told: the server's state of the order, and how their last attempt went. */
function shown(order: OrderView, phase: PayPhase | undefined, message: string | null | undefined, nowMs: number): Shown {
  if (order.status !== 'NOTPAY' && order.status !== 'PAYERROR') {
    if (order.status === 'SUCCESS') return { tone: 'success', icon: '✓', title: '支付成功', detail: '商家将尽快为你发货' }
    if (order.status === 'REFUND') return { tone: 'waiting', icon: '✓', title: '订单已退款', detail: '退款将原路退回' }
    return { tone: 'failure', icon: '!', title: '订单已关闭', detail: '这笔订单没有付款，已关闭' }
  }
  if (phase === 'confirming') return { tone: 'waiting', icon: '…', title: '正在确认支付结果…', detail: '请稍候，不要重复付款' }
  const left = order.payment ? remaining(order.expireAt, nowMs) : null
  if (!left) return { tone: 'failure', icon: '!', title: '订单已超时关闭', detail: '这笔订单没有付款，可以重新下单' }
  const why = phase === 'cancelled' ? '你已取消支付' : phase === 'failed' ? (message ?? '支付没有完成') : (message ?? '尚未付款')
  return { tone: 'waiting', icon: '!', title: '支付未完成', detail: `${why}，订单为你保留 ${left}` }
}

/** Where the shopper lands after the cashier (reached with redirectTo: back and reload never reopen it). */
export default function Result() {
  const { params } = useRouter()
  const outTradeNo = params['outTradeNo'] ?? ''
  const order = useOrders((s) => s.byId[outTradeNo])
  const detail = useOrders((s) => s.detail[outTradeNo])
  const pay = useOrders((s) => s.pay[outTradeNo])
  // The time the order stays payable counts down on screen.
  const now = useNow(order?.actions.pay === true)
  const loadOrder = useOrders((s) => s.loadOrder)
  const payOrder = useOrders((s) => s.payOrder)

  useEffect(() => {
    // The server's word, whatever the store remembers: a reload or a late notification shows the truth.
    if (outTradeNo) void loadOrder(outTradeNo)
  }, [outTradeNo, loadOrder])

  const toOrder = (): void => void Taro.redirectTo({ url: `/pages/order/index?outTradeNo=${outTradeNo}` })
  const toShop = (): void => void Taro.switchTab({ url: '/pages/index/index' })

  if (!order) {
    if (detail?.status === 'error') return <ErrorRetry message={detail.error?.message ?? '加载失败'} onRetry={() => void loadOrder(outTradeNo)} />
    return <Skeleton rows={1} />
  }
  const view = shown(order, pay?.phase, pay?.message, now)
  const busy = pay?.phase === 'paying' || pay?.phase === 'confirming'
  const paid = order.status !== 'NOTPAY' && order.status !== 'PAYERROR'
  return (
    <View className="result" role="main">
      <View className="result__card">
        {/* The tick is drawn (fonts draw ✓ as √ or not at all); ! and … are plain text. */}
        <View className={`result__icon result__icon--${view.tone} ${view.icon === '✓' ? 'result__icon--tick' : ''}`} aria-hidden="true">
          {view.icon === '✓' ? null : <Text>{view.icon}</Text>}
        </View>
        <View className="result__title" role="heading" aria-level="1">
          <Text>{view.title}</Text>
        </View>
        <View className="result__sum">
          <Text className="result__sum-label">{order.status === 'SUCCESS' ? '实付金额' : paid ? '订单金额' : '待付金额'}</Text>
          <View className="result__amount">
            <Price fen={order.totalFee} size="display" />
          </View>
        </View>
        <Text className="result__detail">{view.detail}</Text>
        <Text className="result__number">订单号：{outTradeNo}</Text>
      </View>
      {order.actions.pay ? (
        <Action kind="primary" block className="result__action result__action--pay" loading={busy} onClick={() => void payOrder(outTradeNo)}>
          {busy ? '支付中…' : '重新支付'}
        </Action>
      ) : null}
      <View className="result__actions">
        <Action className="result__action" onClick={toShop}>
          继续逛逛
        </Action>
        <Action kind={order.actions.pay ? 'default' : 'primary'} className="result__action" onClick={toOrder}>
          查看订单
        </Action>
      </View>
      <Cashier />
    </View>
  )
}
