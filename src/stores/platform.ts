import Taro from '@tarojs/taro'
import { chooseAddressFailure, fromWechatAddress, type PickedAddress } from '../services/address'
import { createApi, type Api } from '../services/api'
import { weappCashier, type Cashier } from '../services/cashier'
import { weappTransport } from '../services/transport'

// The one place that knows which platform the app runs on. This is the mini program's:
// wx.cloud and WeChat's own cashier. For H5, Taro resolves `./platform` to ./platform.h5.ts
// (a `<name>.<TARO_ENV>.ts` file wins over `<name>.ts`), so the simulator never reaches
// dist/weapp. Both files export the same names.

export const api: Api = createApi(weappTransport(Taro.cloud))

export const cashier: Cashier = weappCashier((payment) => Taro.requestPayment(payment))

/** Storage is already per WeChat user and mini program: one address book. */
export const shopperKey = (): string => 'wechat'

/** WeChat's own address book (`requiredPrivateInfos: ['chooseAddress']` in app.json). */
export const pickAddress: (() => Promise<PickedAddress>) | null = async () => {
  try {
    return fromWechatAddress(await Taro.chooseAddress())
  } catch (error) {
    return chooseAddressFailure(error)
  }
}
