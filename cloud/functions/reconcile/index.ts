import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { AppError } from '../../payment/errors'
import { reconcile } from '../../payment/usecases/reconcile'

const runtime = cloudRuntime(payGateways)

/**
 * Runs on its timer trigger (config.json), or when merchant staff call it. A timer event is
 * `{ Type: 'Timer', TriggerName, Time }` and has no shopper behind it.
 */
export const main = (event: unknown) =>
  respond('reconcile', async () => {
    if (!runtime.isSystemCall()) {
      const { openid } = runtime.caller()
      runtime.staffDeps() // CONFIG_ERROR when no staff is configured
      if (!runtime.isStaff(openid)) throw new AppError('FORBIDDEN', '仅商家工作人员可以操作（ADMIN_OPENIDS）')
    }
    const timer = typeof event === 'object' && event !== null && (event as Record<string, unknown>)['Type'] === 'Timer'
    const result = await reconcile(runtime.payDeps(), runtime.reconcileOptions(), timer ? {} : event)
    console.log(
      `reconcile: checked ${result.checked}, paid ${result.paid.length}, closed ${result.closed.length}, refunds ${result.refundsSettled.length}, late ${result.latePayments.length}, errors ${result.errors.length}`,
    )
    return result
  })
