import Taro from '@tarojs/taro'
import type { StateStorage } from 'zustand/middleware'
import { createApi } from './api'
import { weappCashier, type Cashier } from './cashier'
import { browserOpenid, httpTransport, weappTransport, type Transport } from './transport'

// The one place that knows which platform it runs on. `process.env.TARO_ENV` is a build-time
// constant: each build keeps only its own branch.

export const taroStorage: StateStorage = {
  getItem: (key) => {
    const value: unknown = Taro.getStorageSync(key)
    return typeof value === 'string' && value !== '' ? value : null
  },
  setItem: (key, value) => Taro.setStorageSync(key, value),
  removeItem: (key) => Taro.removeStorageSync(key),
}

function transport(): Transport {
  if (process.env.TARO_ENV === 'weapp') return weappTransport(Taro.cloud)
  const storage = { get: (key: string): unknown => Taro.getStorageSync(key), set: (key: string, value: string) => Taro.setStorageSync(key, value) }
  return httpTransport({
    fetch: (...args) => fetch(...args),
    baseUrl: '',
    openid: () => browserOpenid(storage, () => crypto.getRandomValues(new Uint8Array(12))),
  })
}

export const api = createApi(transport())

export const isWeapp = process.env.TARO_ENV === 'weapp'

/** The mini program's real cashier; the H5 build gets its simulated sheet from the stores. */
export const weappPay: Cashier | null = isWeapp ? weappCashier((payment) => Taro.requestPayment(payment)) : null

/** What a tap in the simulated cashier does: tell the local cloud's pay simulator. */
export async function simPay(outTradeNo: string, result: 'SUCCESS' | 'FAIL'): Promise<void> {
  const res = await fetch('/sim/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo, result }) })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new Error(body?.error?.message ?? `支付服务不可用（HTTP ${res.status}）`)
  }
}
