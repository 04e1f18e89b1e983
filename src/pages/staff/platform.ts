import Taro from '@tarojs/taro'
import { weappTransport, type Transport } from '../../services/transport'

// How the staff pages reach the functions in the mini program: wx.cloud, as the shop does
// (stores/platform.ts, which keeps its transport to itself). On H5 Taro takes ./platform.h5.ts.

export const transport: Transport = weappTransport(Taro.cloud)
