import type * as Sdk from 'wx-server-sdk'
import type { PayConfig } from '../config'
import type { PayGateway } from '../ports'
import { cloudPayGateway, type CloudPaySdk } from './cloudPayGateway'
import { merchantGateway } from './merchantGateway'

export type GatewayFactory = (cloud: typeof Sdk, config: PayConfig) => PayGateway

/** Both pay modes; functions that never call the gateway leave this (and wx-js-utils) out. */
export const payGateways: GatewayFactory = (cloud, config) =>
  config.mode === 'cloudpay' ? cloudPayGateway(cloud as unknown as CloudPaySdk, config) : merchantGateway(config)
