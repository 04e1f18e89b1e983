import { createStore } from 'zustand/vanilla'
import type { Cashier, PayOutcome, PayRequest } from '../services/cashier'

export type SimPay = (outTradeNo: string, result: 'SUCCESS' | 'FAIL') => Promise<void>

export type CashierSheetState = {
  request: PayRequest | null
  busy: boolean
  error: string | null
  confirm(): Promise<void>
  fail(): Promise<void>
  cancel(): void
}

/**
 * The H5 build's stand-in for the WeChat cashier: a sheet showing the amount, whose buttons do
 * what the shopper's tap does in WeChat — tell the (simulated) pay service — and then report
 * back like `wx.requestPayment` would.
 */
export function createCashierSheet(simPay: SimPay) {
  let settle: ((outcome: PayOutcome) => void) | null = null
  const store = createStore<CashierSheetState>()((set, get) => {
    const finish = (outcome: PayOutcome): void => {
      set({ request: null, busy: false, error: null })
      settle?.(outcome)
      settle = null
    }
    const tell = async (result: 'SUCCESS' | 'FAIL'): Promise<void> => {
      const request = get().request
      if (!request || get().busy) return
      set({ busy: true, error: null })
      try {
        await simPay(request.outTradeNo, result)
        finish(result === 'SUCCESS' ? { kind: 'paid' } : { kind: 'failed', message: '支付失败（模拟）' })
      } catch (error) {
        set({ busy: false, error: error instanceof Error ? error.message : String(error) })
      }
    }
    return {
      request: null,
      busy: false,
      error: null,
      confirm: () => tell('SUCCESS'),
      fail: () => tell('FAIL'),
      cancel: () => {
        if (!get().busy) finish({ kind: 'cancelled' })
      },
    }
  })
  const cashier: Cashier = (request) =>
    new Promise<PayOutcome>((resolve) => {
      settle?.({ kind: 'cancelled' })
      settle = resolve
      store.setState({ request, busy: false, error: null })
    })
  return { store, cashier }
}
