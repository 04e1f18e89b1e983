import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { isTimerEvent } from '../../payment/adapters/timerTrigger'
import { AppError } from '../../payment/errors'
import { reconcile } from '../../payment/usecases/reconcile'
import { requireStaff } from '../../payment/usecases/refundOrder'

const runtime = cloudRuntime(payGateways)

/**
 * Runs on its timer trigger (config.json), or when merchant staff call it. A call without an
 * OPENID runs only with the timer's own event: an HTTP trigger or anonymous access must not let
 * anyone drive the gateway.
 */
export const main = (event: unknown, context?: unknown) =>
  runtime.respond('reconcile', event, context, async () => {
    const timer = runtime.isSystemCall()
    if (timer) {
      if (!isTimerEvent(event)) {
        console.warn(`reconcile: refused a call without OPENID that is not the timer trigger (SOURCE=${runtime.source() || 'none'})`)
        throw new AppError('FORBIDDEN', '仅商家工作人员可以操作', { detail: 'a call without OPENID that is not the timer trigger' })
      }
    } else {
      const { openid } = runtime.caller()
      requireStaff(runtime.staffDeps().admins, openid) // CONFIG_ERROR first when no staff is configured
    }
    const result = await reconcile(runtime.payDeps(), runtime.reconcileOptions(), timer || isTimerEvent(event) ? {} : event)
    console.log(
      `reconcile: checked ${result.checked}, paid ${result.paid.length}, closed ${result.closed.length}, refunds ${result.refundsSettled.length}, late ${result.latePayments.length}, received ${result.received.length}, errors ${result.errors.length}`,
    )
    return result
  })
