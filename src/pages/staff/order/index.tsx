import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { useEffect, useState, type ReactNode } from 'react'
import type { StaffOrderView } from '../../../../cloud/payment/staffContracts'
import { Action } from '../../../components/Action'
import { Price } from '../../../components/Price'
import { ErrorRetry, Skeleton } from '../../../components/States'
import { addressLine } from '../../../services/address'
import type { StaffActionName } from '../../../stores/staff'
import { formatFen } from '../../../utils/money'
import { formatTime } from '../../../utils/time'
import { Badge } from '../Badge'
import { Forbidden } from '../Forbidden'
import { carrierName, staffBadge, timelineTitle, UPLOAD_BADGES } from '../labels'
import { staffStore, useStaff } from '../store'
import { DecideForm, RefundForm, ShipForm, type Decision, type ShipChoice } from './forms'
import '../staff.scss'
import './index.scss'

const REFUND_LABELS = { PROCESSING: '退款中', SUCCESS: '已退款', FAILED: '退款失败' } as const
const AFTER_SALE_LABELS = { PENDING: '待处理', APPROVED: '已同意', REJECTED: '已拒绝' } as const
const MODE_LABELS: Record<string, string> = { cloudpay: '微信云支付', merchant: '微信支付商户号' }
/** Codes whose outcome is unknown: the store retries them with the same request, never twice in effect. */
const SAFE_RETRY = new Set(['TRANSPORT_ERROR', 'BAD_RESPONSE', 'INTERNAL', 'PAY_GATEWAY_ERROR', 'UNKNOWN'])

const toast = (title: string): void => void Taro.showToast({ title, icon: 'none', duration: 2500 })

type Open = { form: 'ship' } | { form: 'refund' } | { form: 'decide'; afterSaleId: string; decision: 'approve' | 'reject' } | null

function Card({ title, children, className = '' }: { title: string; children: ReactNode; className?: string }) {
  return (
    <View className={`staff-card ${className}`} role="region" aria-label={title}>
      <View className="staff-card__title" role="heading" aria-level="2">
        {title}
      </View>
      {children}
    </View>
  )
}

function Line({ label, children, strong = false }: { label: string; children: ReactNode; strong?: boolean }) {
  return (
    <View className={`staff-line ${strong ? 'staff-line--strong' : ''}`}>
      <Text className="staff-line__label">{label}</Text>
      <View className="staff-line__value">{children}</View>
    </View>
  )
}

function Shipping({ order }: { order: StaffOrderView }) {
  const f = order.fulfilment
  const upload = order.shippingUpload
  if (!f || (f.state !== 'SHIPPED' && f.state !== 'RECEIVED')) return null
  return (
    <Card title="发货信息" className="staff-shipping">
      <Line label="物流">
        <Text>{carrierName(f.noLogistics ?? f.carrier)}</Text>
      </Line>
      {f.trackingNo ? (
        <Line label="快递单号">
          <Text className="staff-number">{f.trackingNo}</Text>
        </Line>
      ) : null}
      <Line label="发货时间">
        <Text>{formatTime(f.shippedAt)}</Text>
      </Line>
      {f.receivedAt ? (
        <Line label={f.autoReceived ? '自动收货' : '确认收货'}>
          <Text>{formatTime(f.receivedAt)}</Text>
        </Line>
      ) : null}
      {upload ? (
        <View className={`staff-upload staff-upload--${upload.state.toLowerCase()}`} role="status">
          <View className="staff-upload__head">
            <Text className="staff-upload__title">微信发货信息</Text>
            <Badge badge={UPLOAD_BADGES[upload.state]} />
          </View>
          <Text className="staff-upload__note">{upload.note}</Text>
          {upload.uploadedAt ? <Text className="staff-upload__meta">同步时间 {formatTime(upload.uploadedAt)}</Text> : null}
          {upload.state !== 'UPLOADED' && upload.attempts > 0 ? <Text className="staff-upload__meta">已尝试 {upload.attempts} 次</Text> : null}
          {upload.lastError ? <Text className="staff-upload__error">原因：{upload.lastError}</Text> : null}
        </View>
      ) : null}
    </Card>
  )
}

/** `deciding`: the request whose form is open above (its buttons step aside). */
function Body({
  order,
  deciding,
  onDecide,
}: {
  order: StaffOrderView
  deciding: string | null
  onDecide: (afterSaleId: string, decision: 'approve' | 'reject') => void
}) {
  const processing = order.refundReservedFee - order.refundedFee
  // A request waiting for staff is the first thing on the page; decided ones sit with the refunds.
  const pending = order.afterSales.some((request) => request.state === 'PENDING')
  const afterSales =
    order.afterSales.length > 0 ? (
      <Card title="售后申请">
        {order.afterSales.map((request) => (
          <View key={request.id} className="staff-entry" data-after-sale={request.id}>
            <View className="staff-entry__head">
              <Text className={`staff-after-sale-state staff-after-sale-state--${request.state.toLowerCase()}`}>{AFTER_SALE_LABELS[request.state]}</Text>
              <Text className="staff-entry__meta">{formatTime(request.createdAt)}</Text>
            </View>
            <Text className="staff-entry__text">{request.reason}</Text>
            {request.reply ? <Text className="staff-entry__reply">回复买家：{request.reply}</Text> : null}
            {request.state === 'PENDING' && request.id !== deciding ? (
              <View className="staff-entry__actions">
                <Action small kind="danger" label={`拒绝售后申请：${request.reason}`} onClick={() => onDecide(request.id, 'reject')}>
                  拒绝
                </Action>
                <Action
                  small
                  kind="primary"
                  className="staff-entry__approve"
                  label={`同意售后申请并退款：${request.reason}`}
                  onClick={() => onDecide(request.id, 'approve')}
                >
                  同意并退款
                </Action>
              </View>
            ) : null}
          </View>
        ))}
      </Card>
    ) : null
  return (
    <>
      {pending ? afterSales : null}
      <Shipping order={order} />
      <Card title="收货信息">
        {order.address ? (
          <>
            <View className="staff-address__who">
              <Text className="staff-address__recipient">{order.address.recipient}</Text>
              <Text className="staff-address__mobile staff-number">{order.address.mobile}</Text>
            </View>
            <Text className="staff-address__line">{addressLine(order.address)}</Text>
          </>
        ) : (
          <Text className="staff-muted">无收货信息</Text>
        )}
        {order.note ? <Text className="staff-address__note">买家备注：{order.note}</Text> : null}
      </Card>

      <Card title="商品">
        {order.items.map((item) => (
          <View key={item.goodsId} className="staff-item">
            <Text className="staff-item__name">{item.name}</Text>
            <Text className="staff-item__qty">
              {formatFen(item.priceFen)} × {item.quantity}
            </Text>
            <Price fen={item.priceFen * item.quantity} size="small" className="staff-item__amount" />
          </View>
        ))}
      </Card>

      <Card title="金额">
        <Line label="订单金额">
          <Text>{formatFen(order.totalFee)}</Text>
        </Line>
        <Line label="实付">
          <Text>{formatFen(order.paidFee)}</Text>
        </Line>
        <Line label="已退款">
          <Text className={order.refundedFee > 0 ? 'staff-refunded' : ''}>{formatFen(order.refundedFee)}</Text>
        </Line>
        {processing > 0 ? (
          <Line label="退款处理中">
            <Text>{formatFen(processing)}</Text>
          </Line>
        ) : null}
        <Line label="可退金额" strong>
          <Price fen={order.refundable} size="small" />
        </Line>
      </Card>

      <Card title="支付">
        <Line label="支付方式">
          <Text>{MODE_LABELS[order.mode] ?? order.mode}</Text>
        </Line>
        <Line label="支付时间">
          <Text>{formatTime(order.paidAt)}</Text>
        </Line>
        <Line label="微信支付单号">
          <Text className="staff-number">{order.transactionId ?? '—'}</Text>
        </Line>
        <Line label="买家 OPENID">
          <Text className="staff-number">{order.openid}</Text>
        </Line>
      </Card>

      {order.refunds.length > 0 ? (
        <Card title="退款记录">
          {order.refunds.map((refund) => (
            <View key={refund.outRefundNo} className="staff-entry">
              <View className="staff-entry__head">
                <Text className="staff-entry__amount">{formatFen(refund.refundFee)}</Text>
                <Text className={`staff-refund-state staff-refund-state--${refund.status.toLowerCase()}`}>{REFUND_LABELS[refund.status]}</Text>
              </View>
              {refund.reason ? <Text className="staff-entry__text">原因：{refund.reason}</Text> : null}
              {refund.failure ? <Text className="staff-entry__error">失败原因：{refund.failure}</Text> : null}
              <Text className="staff-entry__meta">
                {formatTime(refund.settledAt ?? refund.createdAt)} · {refund.requestedBy || '—'}
              </Text>
            </View>
          ))}
        </Card>
      ) : null}

      {pending ? null : afterSales}

      <Card title="时间线">
        {order.timeline.map((entry, i) => (
          <View key={`${entry.at}-${i}`} className="staff-event">
            <Text className="staff-event__title">{timelineTitle(entry)}</Text>
            <Text className="staff-event__time">{formatTime(entry.at)}</Text>
            {entry.detail ? <Text className="staff-event__detail">{entry.detail}</Text> : null}
          </View>
        ))}
      </Card>
    </>
  )
}

export default function StaffOrder() {
  const { params } = useRouter()
  const outTradeNo = params['no'] ?? ''
  const access = useStaff((s) => s.access)
  const order = useStaff((s) => s.byId[outTradeNo])
  const detail = useStaff((s) => s.detail[outTradeNo])
  const acting = useStaff((s) => s.acting[outTradeNo])
  const [open, setOpen] = useState<Open>(null)
  const [refusal, setRefusal] = useState<string | null>(null)

  const load = (): Promise<void> => staffStore.getState().loadOrder(outTradeNo)
  useEffect(() => {
    if (outTradeNo) void load()
  }, [outTradeNo])
  usePullDownRefresh(() => {
    void load().then(() => Taro.stopPullDownRefresh())
  })

  if (access === 'forbidden') return <Forbidden />
  if (!outTradeNo) return <ErrorRetry message="缺少订单号" onRetry={() => void Taro.navigateBack()} />
  if (!order) {
    if (detail?.status === 'error') return <ErrorRetry message={detail.error?.message ?? '加载失败'} onRetry={() => void load()} />
    return <Skeleton rows={3} />
  }

  const show = (next: Open): void => {
    setOpen(next)
    setRefusal(null)
    setTimeout(() => void Taro.pageScrollTo({ selector: '.staff-form', duration: 200 }), 0)
  }
  /** After an action: the order as it now is; a refusal stays under the form in the server's words. */
  const settle = (ok: boolean, done: string): void => {
    if (ok) {
      setOpen(null)
      setRefusal(null)
      toast(done)
      // The header shows where the order now is.
      void Taro.pageScrollTo({ scrollTop: 0, duration: 200 })
      return
    }
    const error = staffStore.getState().acting[outTradeNo]?.error
    if (!error) return // another action was still running: nothing was sent
    setRefusal(SAFE_RETRY.has(error.code) ? `${error.message}（可放心重试，不会重复操作）` : error.message)
    void load()
  }
  const store = staffStore.getState()
  const ship = async (choice: ShipChoice): Promise<void> => settle(await store.ship(outTradeNo, choice), '已发货')
  const refund = async (asked: { reason: string; refundFee?: number }): Promise<void> => settle(await store.refund(outTradeNo, asked), '已提交退款')
  const decide = async (afterSaleId: string, decided: Decision): Promise<void> =>
    settle(await store.decideAfterSale(outTradeNo, { afterSaleId, ...decided }), decided.decision === 'approve' ? '已同意并退款' : '已拒绝')

  const busy = (name: StaffActionName): boolean => acting?.busy === name
  const canShip = order.status === 'SUCCESS' && order.fulfilment?.state === 'PENDING'
  const canRefund = order.refundable > 0
  const partlyRefunded = order.refundedFee > 0 && order.refundedFee < order.paidFee
  const buttons = open === null ? [canRefund ? 'refund' : null, canShip ? 'ship' : null].filter((b): b is 'refund' | 'ship' => b !== null) : []

  return (
    <View className={`staff-order ${buttons.length > 0 ? 'staff-order--with-bar' : ''}`} role="main">
      <View className="staff-head">
        <View className="staff-head__top">
          <View className="staff-head__title" role="heading" aria-level="1">
            订单详情
          </View>
          <View className="staff-head__badges">
            {partlyRefunded ? <Badge badge={{ label: '部分退款', tone: 'refunded' }} /> : null}
            <Badge badge={staffBadge({ ...order, fulfilment: order.fulfilment?.state ?? null })} />
          </View>
        </View>
        <Text className="staff-head__no staff-number">订单号：{order.outTradeNo}</Text>
        <Text className="staff-head__meta">下单时间：{formatTime(order.createdAt)}</Text>
      </View>
      <View className="staff-order__content">
        {open?.form === 'ship' ? (
          <ShipForm busy={busy('ship')} refusal={refusal} onSubmit={(choice) => void ship(choice)} onClose={() => setOpen(null)} />
        ) : null}
        {open?.form === 'refund' ? (
          <RefundForm
            refundable={order.refundable}
            busy={busy('refund')}
            refusal={refusal}
            onSubmit={(asked) => void refund(asked)}
            onClose={() => setOpen(null)}
          />
        ) : null}
        {open?.form === 'decide' ? (
          <DecideForm
            key={`${open.afterSaleId}-${open.decision}`}
            decision={open.decision}
            refundable={order.refundable}
            busy={busy('afterSale')}
            refusal={refusal}
            onSubmit={(decided) => void decide(open.afterSaleId, decided)}
            onClose={() => setOpen(null)}
          />
        ) : null}
        <Body
          order={order}
          deciding={open?.form === 'decide' ? open.afterSaleId : null}
          onDecide={(afterSaleId, decision) => show({ form: 'decide', afterSaleId, decision })}
        />
      </View>
      {buttons.length > 0 ? (
        <View className="staff-bar">
          {buttons.map((name) =>
            name === 'refund' ? (
              <Action key={name} className="staff-bar__button" onClick={() => show({ form: 'refund' })}>
                退款
              </Action>
            ) : (
              <Action key={name} kind="primary" className="staff-bar__button" onClick={() => show({ form: 'ship' })}>
                发货
              </Action>
            ),
          )}
        </View>
      ) : null}
    </View>
  )
}
