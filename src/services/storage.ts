import Taro from '@tarojs/taro'
import type { StateStorage } from 'zustand/middleware'

/** Taro's storage for the persisted stores (the cart): wx storage in the mini program, localStorage on H5. */
export const taroStorage: StateStorage = {
  getItem: (key) => {
    const value: unknown = Taro.getStorageSync(key)
    return typeof value === 'string' && value !== '' ? value : null
  },
  setItem: (key, value) => Taro.setStorageSync(key, value),
  removeItem: (key) => Taro.removeStorageSync(key),
}
