import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { refundOrder } from '../../payment/usecases/refundOrder'

const runtime = cloudRuntime(payGateways)

/** Merchant staff only (ADMIN_OPENIDS): full or partial refund of a paid order. */
export const main = (event: unknown) => respond('refundOrder', () => refundOrder(runtime.staffDeps(), runtime.caller().openid, event))
