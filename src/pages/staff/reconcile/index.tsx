import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import type { ReconcileRunView } from '../../../../cloud/payment/staffContracts'
import { Action } from '../../../components/Action'
import { ErrorRetry, Skeleton } from '../../../components/States'
import type { ReconcileState } from '../../../stores/staffGoods'
import { formatTime } from '../../../utils/time'
import { Forbidden } from '../Forbidden'
import { StaffNav } from '../StaffNav'
import { goodsStore, useGoods } from '../goods/store'
import '../staff.scss'
import './index.scss'

// Reconcile for staff: what the last run (timer or staff) found, and a way to run it now. The
// timer runs it every few minutes; run-now is for "a shopper says they paid" moments.

/** Each count of a run, in staff words, in the order a person reads them. */
const COUNT_LABELS: Array<[keyof ReconcileRunView['counts'], string]> = [
  ['checked', '核对订单'],
  ['paid', '补记支付'],
  ['closed', '超时关单'],
  ['refundsSettled', '退款到账'],
  ['latePayments', '迟到付款'],
  ['received', '自动收货'],
  ['shippingUploads', '补传发货'],
  ['errors', '未能处理'],
]

function Run({ run }: { run: ReconcileRunView }) {
  return (
    <View className="reconcile-run" role="group" aria-label="上次对账">
      <View className="reconcile-run__line">
        <Text className="reconcile-run__label">完成时间</Text>
        <Text className="reconcile-run__value reconcile-run__when">{formatTime(run.finishedAt ?? run.startedAt)}</Text>
      </View>
      <View className="reconcile-run__line">
        <Text className="reconcile-run__label">发起</Text>
        <Text className="reconcile-run__value">{run.trigger === 'timer' ? '定时任务' : '工作人员'}</Text>
      </View>
      <View className="reconcile-counts">
        {COUNT_LABELS.map(([key, label]) => (
          <View
            key={key}
            className={`reconcile-counts__cell ${key === 'errors' && run.counts.errors > 0 ? 'reconcile-counts__cell--bad' : ''}`}
            data-count={key}
          >
            <Text className="reconcile-counts__value">{run.counts[key]}</Text>
            <Text className="reconcile-counts__label">{label}</Text>
          </View>
        ))}
      </View>
      {run.errors.length > 0 ? (
        <View className="reconcile-errors">
          <Text className="reconcile-errors__title">未能处理的订单</Text>
          {run.errors.map((error) => (
            <View key={`${error.outTradeNo}:${error.message}`} className="reconcile-errors__item">
              <Text className="reconcile-errors__no">{error.outTradeNo}</Text>
              <Text className="reconcile-errors__message">{error.message}</Text>
            </View>
          ))}
        </View>
      ) : (
        <Text className="reconcile-run__clean">没有发现需要人工处理的问题</Text>
      )}
    </View>
  )
}

/** What the last 立即对账 came to, in one line. */
function outcomeText(state: ReconcileState): string | null {
  if (state.runError) return state.runError.message
  if (!state.outcome) return null
  if (state.outcome.ran) return '对账完成，结果如下'
  if (state.outcome.running) return '另一次对账正在进行，请稍后下拉刷新查看结果'
  return '这次请求已经执行过，结果如下'
}

export default function StaffReconcile() {
  const access = useGoods((s) => s.access)
  const state = useGoods((s) => s.reconcile)
  const load = (): void => void goodsStore.getState().loadReconcile()

  useDidShow(load)
  usePullDownRefresh(
    () =>
      void goodsStore
        .getState()
        .loadReconcile()
        .then(() => Taro.stopPullDownRefresh()),
  )

  if (access === 'forbidden') return <Forbidden />
  if (access === 'unknown' || (state.status !== 'ready' && !state.last)) {
    if (state.status === 'error') return <ErrorRetry message={state.error?.message ?? '加载失败'} onRetry={load} />
    return <Skeleton rows={3} />
  }

  const outcome = outcomeText(state)
  // The answer shows in the outcome line under the button (status / alert), not a toast that goes away.
  const run = (): void => void goodsStore.getState().runReconcile()

  return (
    <View className="reconcile" role="main">
      <StaffNav current="reconcile" />
      <View className="reconcile__body">
        <View className="reconcile__head">
          <View className="reconcile__title" role="heading" aria-level="1">
            对账
          </View>
          {state.running || state.busy ? (
            <View className="reconcile__running" role="status">
              对账进行中…
            </View>
          ) : null}
        </View>
        <Text className="reconcile__intro">
          向微信支付核对未完成的订单和退款、补传发货信息、确认超期未收货的订单。系统每隔几分钟自动运行一次，也可以立即运行。
        </Text>
        <Action kind="primary" block loading={state.busy} className="reconcile__run" onClick={run}>
          {state.busy ? '对账中…' : '立即对账'}
        </Action>
        {outcome ? (
          <View className={`reconcile__outcome ${state.runError ? 'reconcile__outcome--error' : ''}`} role={state.runError ? 'alert' : 'status'}>
            {outcome}
          </View>
        ) : null}
        <View className="reconcile__card">
          <View className="reconcile__card-title" role="heading" aria-level="2">
            上次对账
          </View>
          {state.last ? <Run run={state.last} /> : <Text className="reconcile-run__clean">还没有对账记录</Text>}
        </View>
      </View>
    </View>
  )
}
