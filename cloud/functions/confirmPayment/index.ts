import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { confirmPayment } from '../../payment/usecases/confirmPayment'

const runtime = cloudRuntime(payGateways)

export const main = (event: unknown) => respond('confirmPayment', () => confirmPayment(runtime.payDeps(), runtime.caller().openid, event))
