import type { PaymentParams } from '../../cloud/payment/contracts'

/** What the shopper did in the WeChat cashier. `paid` is only the client's impression: the order page then asks the server. */
export type PayOutcome = { kind: 'paid' } | { kind: 'cancelled' } | { kind: 'failed'; message: string }

export type PayRequest = { outTradeNo: string; totalFee: number; payment: PaymentParams }

export type Cashier = (request: PayRequest) => Promise<PayOutcome>

type RequestPayment = (options: PaymentParams) => Promise<unknown>

/** The mini program's cashier: `wx.requestPayment` with the parameters exactly as the server signed them. */
export function weappCashier(requestPayment: RequestPayment): Cashier {
  return async ({ payment }) => {
    try {
      await requestPayment(payment)
      return { kind: 'paid' }
    } catch (error) {
      const errMsg = typeof error === 'object' && error !== null ? String((error as { errMsg?: unknown }).errMsg ?? '') : String(error)
      if (/cancel/i.test(errMsg)) return { kind: 'cancelled' }
      return { kind: 'failed', message: errMsg || '支付失败' }
    }
  }
}
