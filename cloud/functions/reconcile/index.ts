import { randomBytes } from 'node:crypto'
import * as cloud from 'wx-server-sdk'
import { payGateways } from '../../payment/adapters/gateways'
import { reconcileRuns } from '../../payment/adapters/reconcileRuns'
import { cloudRuntime } from '../../payment/adapters/runtime'
import type { SdkDatabase } from '../../payment/adapters/sdkTypes'
import { isTimerEvent } from '../../payment/adapters/timerTrigger'
import { AppError } from '../../payment/errors'
import { recordedReconcile } from '../../payment/usecases/reconcile'
import { requireStaff } from '../../payment/usecases/refundOrder'
import { applySettlement, isSettlementEvent } from '../../payment/usecases/settlement'

const runtime = cloudRuntime(payGateways)
const runs = reconcileRuns(cloud.database() as unknown as SdkDatabase)

/**
 * Runs on its timer trigger (config.json), or when merchant staff call it; each run is recorded in
 * `reconcile_runs` under one lease, so the timer and staff (here or the staff console's
 * runReconcile) never run two at once. A call without an OPENID runs only with the timer's own
 * event: an HTTP trigger or anonymous access must not let anyone drive the gateway.
 *
 * It also receives WeChat's `trade_manage_order_settlement` message push (the shopper confirmed
 * receipt in WeChat; usecases/settlement.ts says who may deliver it and what it changes).
 */
export const main = (event: unknown, context?: unknown) =>
  runtime.respond('reconcile', event, context, async () => {
    const timer = runtime.isSystemCall()
    if (isSettlementEvent(event)) return applySettlement(runtime.payDeps(), timer ? null : runtime.caller().openid, event)
    let by: string | null = null
    if (timer) {
      if (!isTimerEvent(event)) {
        console.warn(`reconcile: refused a call without OPENID that is not the timer trigger (SOURCE=${runtime.source() || 'none'})`)
        throw new AppError('FORBIDDEN', '仅商家工作人员可以操作', { detail: 'a call without OPENID that is not the timer trigger' })
      }
    } else {
      by = runtime.caller().openid
      requireStaff(runtime.staffDeps().admins, by) // CONFIG_ERROR first when no staff is configured
    }
    const trigger = by === null ? 'timer' : 'staff'
    const id = `${trigger}-${Date.now()}-${randomBytes(4).toString('hex')}`
    const result = await recordedReconcile({ ...runtime.payDeps(), runs }, runtime.reconcileOptions(), timer || isTimerEvent(event) ? {} : event, {
      id,
      trigger,
      by,
    })
    console.log(
      `reconcile: ${result.busy ? 'another run in progress, nothing done' : `checked ${result.checked}, paid ${result.paid.length}, closed ${result.closed.length}, refunds ${result.refundsSettled.length}, late ${result.latePayments.length}, received ${result.received.length}, errors ${result.errors.length}`}`,
    )
    return result
  })
