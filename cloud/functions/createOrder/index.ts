import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { createOrder } from '../../payment/usecases/createOrder'

const runtime = cloudRuntime(payGateways)

export const main = (event: unknown, context?: unknown) =>
  runtime.respond('createOrder', event, context, () => createOrder(runtime.createOrderDeps(), runtime.caller(), event))
