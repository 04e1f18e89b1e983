import Taro from '@tarojs/taro'
import { createApi, type Api } from '../services/api'
import { weappCashier, type Cashier } from '../services/cashier'
import { weappTransport } from '../services/transport'

// The one place that knows which platform the app runs on. This is the mini program's:
// wx.cloud and WeChat's own cashier. For H5, Taro resolves `./platform` to ./platform.h5.ts
// (a `<name>.<TARO_ENV>.ts` file wins over `<name>.ts`), so the simulator never reaches
// dist/weapp. Both files export the same `api` and `cashier`.

export const api: Api = createApi(weappTransport(Taro.cloud))

export const cashier: Cashier = weappCashier((payment) => Taro.requestPayment(payment))
