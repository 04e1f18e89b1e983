import type { ReconcileData } from '../contracts'
import type { ReconcileRunView, StaffReconcileStatus, StaffRunReconcileData } from '../staffContracts'
import { AppError } from '../errors'
import { BAD_REQUEST } from '../parse'
import type { PayDeps } from './deps'
import { recordedReconcile, type ReconcileOptions, type ReconcileRunRecord, type ReconcileRuns } from './reconcile'
import { REQUEST_REUSED, STAFF_REQUEST_ID } from './staffActions'
import type { ConsoleAudit } from './staffGoods'

export type StaffReconcileDeps = PayDeps & { runs: ReconcileRuns; consoleAudit: ConsoleAudit; reconcileOptions: ReconcileOptions }

const count = (result: ReconcileData | undefined, key: Exclude<keyof ReconcileData, 'checked' | 'busy'>): number => result?.[key].length ?? 0

export function runView(run: ReconcileRunRecord): ReconcileRunView {
  const r = run.result
  return {
    id: run.id,
    trigger: run.trigger,
    by: run.by,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    counts: {
      checked: r?.checked ?? 0,
      paid: count(r, 'paid'),
      closed: count(r, 'closed'),
      refundsSettled: count(r, 'refundsSettled'),
      latePayments: count(r, 'latePayments'),
      received: count(r, 'received'),
      shippingUploads: count(r, 'shippingUploads'),
      errors: count(r, 'errors'),
    },
    errors: r?.errors.map((e) => ({ ...e })) ?? [],
  }
}

/** `reconcileStatus`: the last finished run and whether one holds the lease now. */
export async function reconcileStatus(deps: { runs: ReconcileRuns; clock: PayDeps['clock'] }): Promise<StaffReconcileStatus> {
  const [last, running] = await Promise.all([deps.runs.last(), deps.runs.held(deps.clock.now())])
  return { last: last ? runView(last) : null, running }
}

/** The run a staff request makes: the same request is always the same run. */
export const staffRunId = (requestId: string): string => `staff-${requestId}`

/**
 * `runReconcile`: reconcile now, for staff, under the same lease as the timer's runs. A request
 * already recorded, or whose run was already started by a concurrent repeat, runs nothing again;
 * when another run holds the lease nothing starts. Only the request that ran is audited.
 */
export async function runReconcileNow(deps: StaffReconcileDeps, staff: string, input: Record<string, unknown>): Promise<StaffRunReconcileData> {
  const requestId = input['requestId']
  if (typeof requestId !== 'string' || !STAFF_REQUEST_ID.test(requestId))
    throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: 'requestId is not valid' })
  const id = staffRunId(requestId)
  const prior = await deps.consoleAudit.get(requestId)
  if (prior && prior.action !== 'runReconcile')
    throw new AppError('INVALID_ARGUMENT', REQUEST_REUSED, { detail: `requestId ${requestId} was used for ${prior.action}` })
  const answer = async (ran: boolean): Promise<StaffRunReconcileData> => {
    const [run, running] = await Promise.all([deps.runs.get(id), deps.runs.held(deps.clock.now())])
    return { ran, running, run: run ? runView(run) : null }
  }
  if (prior || (await deps.runs.get(id))) return answer(false)
  const result = await recordedReconcile(deps, deps.reconcileOptions, {}, { id, trigger: 'staff', by: staff })
  if (result.busy) return answer(false)
  const at = new Date(deps.clock.now())
  await deps.consoleAudit.record({
    requestId,
    staff,
    action: 'runReconcile',
    outTradeNo: '',
    input: {},
    outcome: result.errors.length > 0 ? `ok, ${result.errors.length} errors` : 'ok',
    at,
  })
  return answer(true)
}
