import { cloudRuntime } from '../../payment/adapters/runtime'
import { orderAction } from '../../payment/usecases/orderAction'

const runtime = cloudRuntime()

export const main = (event: unknown, context?: unknown) =>
  runtime.respond('orderAction', event, context, () => orderAction(runtime.orderDeps(), runtime.caller().openid, event))
