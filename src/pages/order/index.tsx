import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import type { OrderItemView, OrderView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { Cashier } from '../../components/Cashier'
import { GoodsImage } from '../../components/GoodsImage'
import { Price } from '../../components/Price'
import { pressable } from '../../components/pressable'
import { ErrorRetry, Skeleton } from '../../components/States'
import { addressLine, maskedMobile } from '../../services/address'
import { cartStore, ordersStore, useOrders } from '../../stores'
import { formatFen } from '../../utils/money'
import { formatTime, remaining } from '../../utils/time'
import { amountLabel, isExpiredUnpaid } from '../orders/orderLabel'
import { useNow } from '../../utils/useNow'
import { AFTER_SALE_LABELS } from './afterSale'
import { AfterSaleForm } from './AfterSaleForm'
import { statusView } from './status'
import './index.scss'

const REFUND_LABELS = { PROCESSING: '退款中', SUCCESS: '已退款', FAILED: '退款失败' } as const

const toast = (title: string): void => void Taro.showToast({ title, icon: 'none', duration: 2500 })
const copy = (data: string): void => void Taro.setClipboardData({ data }) // Taro and WeChat say 内容已复制 themselves

/** Asks before an action that cannot be undone; true when the shopper agreed. */
async function confirmed(title: string, content: string, confirmText: string): Promise<boolean> {
  const { confirm } = await Taro.showModal({ title, content, confirmText, cancelText: '再想想' })
  return confirm
}

/** Puts the order's goods back in the cart and opens it; the server prices them again on the next order. */
function buyAgain(items: OrderItemView[]): void {
  const cart = cartStore.getState()
  const full = items.some(
    (item) =>
      !cart.add({ _id: item.goodsId, name: item.name, description: '', priceFen: item.priceFen, pic: item.pic, pics: [item.pic], onSale: true }, item.quantity),
  )
  if (full) toast('购物车已满（最多 20 种），部分商品未加入')
  void Taro.switchTab({ url: '/pages/cart/index' })
}

/** A small 复制 pill whose tap area is the full 44 px. */
function CopyButton({ what, onCopy, light = false }: { what: string; onCopy: () => void; light?: boolean }) {
  return (
    <View className="copy-button" role="button" aria-label={`复制${what}`} onClick={onCopy} {...pressable(onCopy)}>
      <Text className={`copy-button__pill ${light ? 'copy-button__pill--light' : ''}`} aria-hidden="true">
        复制
      </Text>
    </View>
  )
}

function Fact({ label, value, onCopy }: { label: string; value: string; onCopy?: () => void }) {
  return (
    <View className="order-fact">
      {/* A long number moves to its own line whole rather than breaking at 320 px. */}
      <View className="order-fact__text">
        <Text>{label}：</Text>
        <Text className="order-fact__value">{value}</Text>
      </View>
      {onCopy ? <CopyButton what={label} onCopy={onCopy} /> : null}
    </View>
  )
}

function Header({ order, left }: { order: OrderView; left: string | null }) {
  const view = statusView(order, left)
  return (
    <View className={`order__status order__status--${view.tone}`}>
      <Text className="order__status-title">{view.title}</Text>
      {view.tracking ? (
        <View className="order__tracking">
          <Text className="order__tracking-text">
            {view.tracking.carrier} {view.tracking.trackingNo}
          </Text>
          <CopyButton what="运单号" light onCopy={() => copy(view.tracking?.trackingNo ?? '')} />
        </View>
      ) : null}
      {view.lines.map((line) => (
        <Text key={line} className="order__status-line">
          {line}
        </Text>
      ))}
    </View>
  )
}

function Body({ order }: { order: OrderView }) {
  const goodsFen = order.items.reduce((sum, item) => sum + item.priceFen * item.quantity, 0)
  return (
    <>
      {order.address ? (
        <View className="order__card order__address">
          <View className="order__address-who">
            <Text className="order__recipient">{order.address.recipient}</Text>
            <Text className="order__mobile">{maskedMobile(order.address.mobile)}</Text>
          </View>
          <Text className="order__address-line">{addressLine(order.address)}</Text>
          {order.note ? <Text className="order__note">备注：{order.note}</Text> : null}
        </View>
      ) : null}

      <View className="order__card">
        {order.items.map((item) => (
          <View key={item.goodsId} className="order-item">
            <GoodsImage className="order-item__pic" src={item.pic} alt={item.name} />
            <View className="order-item__body">
              <Text className="order-item__name">{item.name}</Text>
              <Text className="order-item__meta">
                {formatFen(item.priceFen)} × {item.quantity}
              </Text>
            </View>
            <Price className="order-item__amount" fen={item.priceFen * item.quantity} size="small" />
          </View>
        ))}
        <View className="order__sums">
          <View className="order__sum">
            <Text>商品金额</Text>
            <Text>{formatFen(goodsFen)}</Text>
          </View>
          <View className="order__sum">
            <Text>运费</Text>
            <Text>{formatFen(0)}</Text>
          </View>
          <View className="order__sum order__sum--total">
            <Text>{amountLabel(order)}</Text>
            <Price className="order__total-amount" fen={order.totalFee} size="large" />
          </View>
        </View>
      </View>

      {order.refunds.length > 0 ? (
        <View className="order__card">
          <Text className="order__card-title">退款记录</Text>
          {order.refunds.map((refund) => (
            <View key={refund.outRefundNo} className="order__line">
              <Text>{formatFen(refund.refundFee)}</Text>
              <Text className={`order__refund-status order__refund-status--${refund.status.toLowerCase()}`}>{REFUND_LABELS[refund.status]}</Text>
              <Text className="order__line-time">{formatTime(refund.settledAt ?? refund.createdAt)}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {order.afterSales.length > 0 ? (
        <View className="order__card">
          <Text className="order__card-title">售后申请</Text>
          {order.afterSales.map((request) => (
            <View key={request.id} className="after-sale">
              <View className="after-sale__head">
                <Text className={`after-sale__state after-sale__state--${request.state.toLowerCase()}`}>{AFTER_SALE_LABELS[request.state]}</Text>
                <Text className="order__line-time">{formatTime(request.createdAt)}</Text>
              </View>
              <Text className="after-sale__reason">{request.reason}</Text>
              {request.reply ? <Text className="after-sale__reply">商家回复：{request.reply}</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
    </>
  )
}

function Facts({ order }: { order: OrderView }) {
  const f = order.fulfilment
  return (
    <View className="order__card order__facts">
      <Fact label="订单号" value={order.outTradeNo} onCopy={() => copy(order.outTradeNo)} />
      <Fact label="下单时间" value={formatTime(order.createdAt)} />
      {order.paidAt ? <Fact label="支付时间" value={formatTime(order.paidAt)} /> : null}
      {order.transactionId ? <Fact label="微信支付单号" value={order.transactionId} /> : null}
      {f?.shippedAt ? <Fact label="发货时间" value={formatTime(f.shippedAt)} /> : null}
      {f?.receivedAt ? <Fact label="收货时间" value={formatTime(f.receivedAt)} /> : null}
    </View>
  )
}

type Button = { key: string; text: string; primary?: boolean; busy?: boolean; run: () => void }

export default function OrderPage() {
  const { params } = useRouter()
  const outTradeNo = params['outTradeNo'] ?? ''
  const order = useOrders((s) => s.byId[outTradeNo])
  const detail = useOrders((s) => s.detail[outTradeNo])
  const payPhase = useOrders((s) => s.pay[outTradeNo]?.phase)
  const acting = useOrders((s) => s.acting[outTradeNo])
  const loadOrder = useOrders((s) => s.loadOrder)
  const [formOpen, setFormOpen] = useState(false)
  const payable = order?.actions.pay === true
  const now = useNow(payable)
  const left = order && payable ? remaining(order.expireAt, now) : null
  const paying = payPhase === 'paying' || payPhase === 'confirming'
  const busy = paying || Boolean(acting?.busy)

  useEffect(() => {
    if (outTradeNo) void loadOrder(outTradeNo)
  }, [outTradeNo, loadOrder])

  // The countdown ran out on screen: ask the server once what the order is now.
  const askedAfterExpiry = useRef(false)
  useEffect(() => {
    if (payable && left === null && !askedAfterExpiry.current) {
      askedAfterExpiry.current = true
      void loadOrder(outTradeNo)
    }
  }, [payable, left, outTradeNo, loadOrder])

  usePullDownRefresh(() => {
    void loadOrder(outTradeNo).then(() => Taro.stopPullDownRefresh())
  })

  if (!order) {
    if (detail?.status === 'error') return <ErrorRetry message={detail.error?.message ?? '加载失败'} onRetry={() => void loadOrder(outTradeNo)} />
    return <Skeleton rows={3} />
  }

  /** After an action: the server's answer on success, its words on a refusal (and the order as it now is). */
  const settle = (ok: boolean, said: (view: OrderView) => string): void => {
    const state = ordersStore.getState()
    const view = state.byId[outTradeNo]
    if (ok && view) return toast(said(view))
    const error = state.acting[outTradeNo]?.error
    if (!error) return // another action was still running: nothing happened
    toast(error.message)
    void loadOrder(outTradeNo)
  }
  const store = ordersStore.getState()
  const openForm = (): void => {
    setFormOpen(true)
    // The form opens below the goods: bring it up to the shopper.
    setTimeout(() => void Taro.pageScrollTo({ selector: '.after-sale-form', duration: 200 }), 0)
  }

  const pay = async (): Promise<void> => {
    await store.payOrder(outTradeNo)
    // The result page tells how it went (paid, cancelled, failed) from the server; back or reload never reopens the cashier.
    void Taro.redirectTo({ url: `/pages/result/index?outTradeNo=${encodeURIComponent(outTradeNo)}` })
  }
  const cancel = async (): Promise<void> => {
    if (!(await confirmed('取消订单', '确定取消这笔订单吗？取消后需要重新下单。', '取消订单'))) return
    settle(await store.cancelOrder(outTradeNo), () => '订单已取消')
  }
  const refund = async (): Promise<void> => {
    const content = `订单尚未发货，取消后 ${formatFen(order.totalFee - order.refundedFee)} 将原路退回微信零钱或原支付方式。`
    if (!(await confirmed('取消并退款', content, '确认退款'))) return
    settle(await store.cancelOrder(outTradeNo), (view) => (view.status === 'REFUND' ? '已退款' : '已申请退款'))
  }
  const receive = async (): Promise<void> => {
    if (!(await confirmed('确认收货', '请确认已收到全部商品，确认后订单完成。', '确认收货'))) return
    settle(await store.confirmReceipt(outTradeNo), () => '已确认收货')
  }
  const submitAfterSale = async (reason: string): Promise<string | null> => {
    if (await store.requestAfterSale(outTradeNo, reason)) {
      setFormOpen(false)
      toast('售后申请已提交')
      return null
    }
    return ordersStore.getState().acting[outTradeNo]?.error?.message ?? '提交失败，请稍后重试'
  }

  const expired = isExpiredUnpaid(order) || (payable && left === null)
  const a = order.actions
  const buttons: Button[] = []
  if (a.cancel && !expired) buttons.push({ key: 'cancel', text: '取消订单', busy: acting?.busy === 'cancel', run: () => void cancel() })
  if (a.refund) buttons.push({ key: 'refund', text: '取消并退款', busy: acting?.busy === 'cancel', run: () => void refund() })
  if (a.afterSale && !formOpen) buttons.push({ key: 'afterSale', text: '申请售后', run: openForm })
  if (a.confirmReceipt) buttons.push({ key: 'receive', text: '确认收货', primary: true, busy: acting?.busy === 'confirmReceipt', run: () => void receive() })
  if (payable && !expired) buttons.push({ key: 'pay', text: `立即支付 ${formatFen(order.totalFee)}`, primary: true, busy: paying, run: () => void pay() })
  if (expired || order.status === 'CLOSED') buttons.push({ key: 'again', text: '再次购买', primary: true, run: () => buyAgain(order.items) })

  return (
    <View className={`order ${buttons.length > 0 ? 'order--with-bar' : ''}`} role="main">
      <Header order={order} left={left} />
      <View className="order__content">
        <Body order={order} />
        {formOpen && a.afterSale ? <AfterSaleForm busy={acting?.busy === 'afterSale'} onSubmit={submitAfterSale} onClose={() => setFormOpen(false)} /> : null}
        <Facts order={order} />
      </View>

      {buttons.length > 0 ? (
        <View className="order-bar">
          {buttons.map((button) => (
            <Action
              key={button.key}
              kind={button.primary ? 'primary' : 'default'}
              className="order-bar__button"
              loading={button.busy}
              disabled={busy && !button.busy}
              onClick={button.run}
            >
              {button.text}
            </Action>
          ))}
        </View>
      ) : null}
      <Cashier />
    </View>
  )
}
