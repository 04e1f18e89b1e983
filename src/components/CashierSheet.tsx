import { Text, View } from '@tarojs/components'
import { Action } from './Action'
import { useCashierSheet } from '../stores/platform.h5'
import { formatFen } from '../utils/money'
import './CashierSheet.scss'

/** H5 only (via ./Cashier.h5.tsx): the simulated WeChat cashier; the mini program gets WeChat's own from wx.requestPayment. */
export function CashierSheet() {
  const request = useCashierSheet((s) => s.request)
  const busy = useCashierSheet((s) => s.busy)
  const error = useCashierSheet((s) => s.error)
  const confirm = useCashierSheet((s) => s.confirm)
  const fail = useCashierSheet((s) => s.fail)
  const cancel = useCashierSheet((s) => s.cancel)
  if (!request) return null
  return (
    <View className="cashier">
      <View className="cashier__mask" onClick={cancel} />
      <View className="cashier__sheet" role="dialog" aria-modal="true" aria-label="微信支付">
        <Text className="cashier__title">微信支付（模拟收银台）</Text>
        <Text className="cashier__merchant">小店 · 订单 {request.outTradeNo}</Text>
        <Text className="cashier__amount">{formatFen(request.totalFee)}</Text>
        {error ? (
          <View className="cashier__error" role="alert">
            {error}
          </View>
        ) : null}
        <Action kind="primary" block loading={busy} className="cashier__confirm" onClick={() => void confirm()}>
          确认支付
        </Action>
        <View className="cashier__row">
          <Action className="cashier__cancel" disabled={busy} onClick={cancel}>
            取消
          </Action>
          <Action className="cashier__fail" disabled={busy} onClick={() => void fail()}>
            模拟支付失败
          </Action>
        </View>
      </View>
    </View>
  )
}
