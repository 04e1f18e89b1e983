import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { confirmPayment } from '../../payment/usecases/confirmPayment'

const runtime = cloudRuntime(payGateways)

export const main = (event: unknown, context?: unknown) =>
  runtime.respond('confirmPayment', event, context, () => confirmPayment(runtime.payDeps(), runtime.caller().openid, event))
