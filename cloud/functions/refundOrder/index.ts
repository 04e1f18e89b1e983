import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { refundOrder } from '../../payment/usecases/refundOrder'

const runtime = cloudRuntime(payGateways)

/** Merchant staff only (ADMIN_OPENIDS): full or partial refund of a paid order. */
export const main = (event: unknown, context?: unknown) =>
  runtime.respond('refundOrder', event, context, () => refundOrder(runtime.staffDeps(), runtime.caller().openid, event))
