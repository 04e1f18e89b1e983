import Taro from '@tarojs/taro'
import { useStore } from 'zustand'
import type { PickedAddress } from '../services/address'
import { createApi, type Api } from '../services/api'
import type { Cashier } from '../services/cashier'
import { browserOpenid, httpTransport, simPay } from '../services/localCloud'
import { createCashierSheet, type CashierSheetState } from './cashierSheet'

// The H5 build's platform (see ./platform.ts): functions over HTTP to the local cloud as a
// per-browser shopper, and a simulated cashier sheet that tells the local pay simulator.

const storage = { get: (key: string): unknown => Taro.getStorageSync(key), set: (key: string, value: string) => Taro.setStorageSync(key, value) }

const openid = (): string => browserOpenid(storage, () => crypto.getRandomValues(new Uint8Array(12)))

export const api: Api = createApi(httpTransport({ fetch: (...args) => fetch(...args), baseUrl: '', openid }))

/** Each local shopper of this browser keeps their own address book. */
export const shopperKey = openid

/** No WeChat address book in a browser: the address form page instead. */
export const pickAddress: (() => Promise<PickedAddress>) | null = null

export const cashierSheet = createCashierSheet(simPay)

export const cashier: Cashier = cashierSheet.cashier

export const useCashierSheet = <T>(selector: (state: CashierSheetState) => T): T => useStore(cashierSheet.store, selector)
