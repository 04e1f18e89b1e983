import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { cancelOrder } from '../../payment/usecases/cancelOrder'

const runtime = cloudRuntime(payGateways)

export const main = (event: unknown, context?: unknown) =>
  runtime.respond('cancelOrder', event, context, () => cancelOrder(runtime.payDeps(), runtime.caller().openid, event))
