import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { cancelOrder } from '../../payment/usecases/cancelOrder'

const runtime = cloudRuntime(payGateways)

export const main = (event: unknown) => respond('cancelOrder', () => cancelOrder(runtime.payDeps(), runtime.caller().openid, event))
