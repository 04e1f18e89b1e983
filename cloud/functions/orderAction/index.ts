import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { orderAction } from '../../payment/usecases/orderAction'

const runtime = cloudRuntime()

export const main = (event: unknown) => respond('orderAction', () => orderAction(runtime.orderDeps(), runtime.caller().openid, event))
