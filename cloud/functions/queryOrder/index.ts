import { cloudRuntime } from '../../payment/adapters/runtime'
import { queryOrder } from '../../payment/usecases/queryOrder'

const runtime = cloudRuntime()

export const main = (event: unknown, context?: unknown) =>
  runtime.respond('queryOrder', event, context, () => queryOrder(runtime.orderDeps(), runtime.caller().openid, event))
