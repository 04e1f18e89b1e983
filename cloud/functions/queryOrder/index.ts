import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { queryOrder } from '../../payment/usecases/queryOrder'

const runtime = cloudRuntime()

export const main = (event: unknown) => respond('queryOrder', () => queryOrder(runtime.orderDeps(), runtime.caller().openid, event))
