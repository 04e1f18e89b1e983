import { Button, Image, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { Action } from '../../components/Action'
import { Cashier } from '../../components/Cashier'
import { ErrorRetry, Skeleton } from '../../components/States'
import { StatusBadge } from '../../components/StatusBadge'
import { useOrders } from '../../stores'
import { assetUrl } from '../../utils/assets'
import { formatFen } from '../../utils/money'
import { formatTime, remaining } from '../../utils/time'
import './index.scss'

const REFUND_LABELS = { PROCESSING: '退款中', SUCCESS: '已退款', FAILED: '退款失败' } as const

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return undefined
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [active])
  return now
}

export default function OrderPage() {
  const { params } = useRouter()
  const outTradeNo = params['outTradeNo'] ?? ''
  const order = useOrders((s) => s.byId[outTradeNo])
  const detail = useOrders((s) => s.detail[outTradeNo])
  const pay = useOrders((s) => s.pay[outTradeNo])
  const loadOrder = useOrders((s) => s.loadOrder)
  const payOrder = useOrders((s) => s.payOrder)
  const autopay = useRef(params['autopay'] === '1')
  // The server decides: `payment` is there only while the order can be paid.
  const payable = order !== undefined && order.payment !== null
  const now = useNow(payable)
  const left = order ? remaining(order.expireAt, now) : null
  const busy = pay?.phase === 'paying' || pay?.phase === 'confirming'

  useEffect(() => {
    if (outTradeNo) void loadOrder(outTradeNo)
  }, [outTradeNo, loadOrder])

  useEffect(() => {
    if (autopay.current && payable && left) {
      autopay.current = false
      void payOrder(outTradeNo)
    }
  }, [payable, left, outTradeNo, payOrder])

  useEffect(() => {
    if (pay?.message && pay.phase === 'failed') void Taro.showToast({ title: pay.message, icon: 'none' })
  }, [pay?.phase, pay?.message])

  usePullDownRefresh(() => {
    void loadOrder(outTradeNo).then(() => Taro.stopPullDownRefresh())
  })

  if (!order) {
    if (detail?.status === 'error') return <ErrorRetry message={detail.error?.message ?? '加载失败'} onRetry={() => void loadOrder(outTradeNo)} />
    return <Skeleton rows={2} />
  }
  return (
    <View className="order">
      <View className="order__status">
        <StatusBadge status={order.status} />
        <Text className="order__status-desc">{order.tradeStateDesc}</Text>
        {payable ? <Text className="order__countdown">{left ? `剩余支付时间 ${left}` : '订单已过期'}</Text> : null}
      </View>

      <View className="order__card">
        {order.items.map((item) => (
          <View key={item.goodsId} className="order-item">
            <Image className="order-item__pic" src={assetUrl(item.pic)} mode="aspectFill" />
            <View className="order-item__body">
              <Text className="order-item__name">{item.name}</Text>
              <Text className="order-item__meta">
                {formatFen(item.priceFen)} × {item.quantity}
              </Text>
            </View>
            <Text className="order-item__amount">{formatFen(item.priceFen * item.quantity)}</Text>
          </View>
        ))}
        <View className="order__total">
          <Text>实付金额</Text>
          <Text className="order__total-amount">{formatFen(order.totalFee)}</Text>
        </View>
      </View>

      <View className="order__card order__facts">
        <Text>订单号：{order.outTradeNo}</Text>
        <Text>下单时间：{formatTime(order.createdAt)}</Text>
        <Text>支付时间：{formatTime(order.paidAt)}</Text>
        {order.transactionId ? <Text>微信支付单号：{order.transactionId}</Text> : null}
      </View>

      {order.refunds.length > 0 ? (
        <View className="order__card order__refunds">
          <Text className="order__refunds-title">退款（已退 {formatFen(order.refundedFee)}）</Text>
          {order.refunds.map((refund) => (
            <View key={refund.outRefundNo} className="order__refund">
              <Text>{formatFen(refund.refundFee)}</Text>
              <Text className={`order__refund-status order__refund-status--${refund.status.toLowerCase()}`}>{REFUND_LABELS[refund.status]}</Text>
              <Text className="order__refund-time">{formatTime(refund.settledAt ?? refund.createdAt)}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {pay?.message ? <Text className={`order__message order__message--${pay.phase}`}>{pay.message}</Text> : null}

      {payable && left ? (
        <Button className="order__pay" type="primary" loading={busy} disabled={busy} onClick={() => void payOrder(outTradeNo)}>
          {pay?.phase === 'cancelled' || pay?.phase === 'failed' ? '重新支付' : '立即支付'} {formatFen(order.totalFee)}
        </Button>
      ) : null}
      {order.status === 'NOTPAY' || order.status === 'PAYERROR' ? (
        <Action small className="order__refresh" disabled={busy} onClick={() => void loadOrder(outTradeNo)}>
          刷新支付状态
        </Action>
      ) : null}
      <Cashier />
    </View>
  )
}
