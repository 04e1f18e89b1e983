import { useStore } from 'zustand'
import { taroStorage } from '../services/storage'
import { createAddressStore, type AddressState } from './address'
import { createCartStore, type CartState } from './cart'
import { createGoodsStore, type GoodsState } from './goods'
import { createOrdersStore, type OrdersState } from './orders'
import { api, cashier, pickAddress, shopperKey } from './platform'

// One store per domain, built once for the app; pages select what they need.
export const goodsStore = createGoodsStore(api)
export const cartStore = createCartStore(taroStorage)
export const ordersStore = createOrdersStore({ api, cashier })
export const addressStore = createAddressStore(taroStorage, shopperKey)

export const useGoods = <T>(selector: (state: GoodsState) => T): T => useStore(goodsStore, selector)
export const useCart = <T>(selector: (state: CartState) => T): T => useStore(cartStore, selector)
export const useOrders = <T>(selector: (state: OrdersState) => T): T => useStore(ordersStore, selector)
export const useAddresses = <T>(selector: (state: AddressState) => T): T => useStore(addressStore, selector)

let staffProbe: Promise<boolean> | undefined
/** Asked once a launch: a shopper's answer (FORBIDDEN) does not change while the app runs. */
export const isStaff = (): Promise<boolean> => (staffProbe ??= api.isStaff())

/** WeChat's address book in the mini program; null on H5, where the app's own address form is used. */
export { pickAddress }
