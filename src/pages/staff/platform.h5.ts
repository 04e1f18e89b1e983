import Taro from '@tarojs/taro'
import { browserOpenid, httpTransport } from '../../services/localCloud'
import type { Transport } from '../../services/transport'

// H5: the local cloud over HTTP as this browser's local user (the same id the shop uses,
// stores/platform.h5.ts): staff on H5 are a browser whose id is in ADMIN_OPENIDS.

const storage = { get: (key: string): unknown => Taro.getStorageSync(key), set: (key: string, value: string) => Taro.setStorageSync(key, value) }

export const transport: Transport = httpTransport({
  fetch: (...args) => fetch(...args),
  baseUrl: '',
  openid: () => browserOpenid(storage, () => crypto.getRandomValues(new Uint8Array(12))),
})
