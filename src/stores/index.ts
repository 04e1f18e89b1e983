import { useStore } from 'zustand'
import { api, simPay, taroStorage, weappPay } from '../services/platform'
import { createCartStore, type CartState } from './cart'
import { createCashierSheet, type CashierSheetState } from './cashierSheet'
import { createGoodsStore, type GoodsState } from './goods'
import { createOrdersStore, type OrdersState } from './orders'

// One store per domain, built once for the app; pages select what they need.
export const goodsStore = createGoodsStore(api)
export const cartStore = createCartStore(taroStorage)
export const cashierSheet = createCashierSheet(simPay)
export const ordersStore = createOrdersStore({ api, cashier: weappPay ?? cashierSheet.cashier })

export const useGoods = <T>(selector: (state: GoodsState) => T): T => useStore(goodsStore, selector)
export const useCart = <T>(selector: (state: CartState) => T): T => useStore(cartStore, selector)
export const useOrders = <T>(selector: (state: OrdersState) => T): T => useStore(ordersStore, selector)
export const useCashierSheet = <T>(selector: (state: CashierSheetState) => T): T => useStore(cashierSheet.store, selector)
