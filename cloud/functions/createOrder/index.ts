import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { createOrder } from '../../payment/usecases/createOrder'

const runtime = cloudRuntime(payGateways)

export const main = (event: unknown) => respond('createOrder', () => createOrder(runtime.createOrderDeps(), runtime.caller(), event))
