// The staff console's reconcile on the in-memory ports: `runReconcile` (once per request, under
// the one lease the timer's runs take too, audited only when it ran) and `reconcileStatus`.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ReconcileData } from '../contracts'
import { captureConsole, refusal } from '../testing/assertions'
import { MemoryAudit, MemoryHistory, memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { consoleExtras, type MemoryConsoleAudit, type MemoryRuns } from '../testing/staffConsoleMemory'
import { RECONCILE_LEASE_MS, recordedReconcile } from './reconcile'
import { REQUEST_REUSED } from './staffActions'
import { reconcileStatus, runReconcileNow, staffRunId, type StaffReconcileDeps } from './staffReconcile'

type World = MemoryWorld & StaffReconcileDeps & { audit: MemoryAudit; runs: MemoryRuns; consoleAudit: MemoryConsoleAudit }

function world(): World {
  const w = memoryWorld()
  const audit = new MemoryAudit()
  return Object.assign(w, { audit, events: new MemoryHistory(w.clock) }, consoleExtras(w.goods, audit))
}

const REQUEST = 'run-req-0001'
const RUN_ID = staffRunId(REQUEST)
const ZERO = { checked: 0, paid: 0, closed: 0, refundsSettled: 0, latePayments: 0, received: 0, shippingUploads: 0, errors: 0 }
const runNow = (w: World, input: Record<string, unknown> = { action: 'runReconcile', requestId: REQUEST }, staff = 'staff-1') =>
  runReconcileNow(w, staff, input)

/** Counts how often reconcile itself runs (its first read is always the unpaid orders). */
function countRuns(w: World): { runs: number } {
  const seen = { runs: 0 }
  const listUnpaid = w.orders.listUnpaid.bind(w.orders)
  w.orders.listUnpaid = async (before, limit) => (seen.runs++, listUnpaid(before, limit))
  return seen
}

/** Unpaid orders old enough for reconcile to query, whose queries all fail. */
function failingOrders(w: World, numbers: string[]): void {
  for (const no of numbers) w.orders.put(storedOrder({ outTradeNo: no, createdAt: new Date(w.clock.now() - 3600_000) }, w.clock))
  w.gateway.queryOrder = async () => {
    throw new Error('gateway down')
  }
}

/** Nothing ran and nothing was recorded: no lease taken, no run, no audit. */
function untouched(w: World, seen: { runs: number }): void {
  assert.equal(seen.runs, 0)
  assert.equal(w.runs.lease, null)
  assert.equal(w.runs.runs.size, 0)
  assert.equal(w.audit.records.size, 0)
}

describe('runReconcile: a staff request runs reconcile once', () => {
  test('it runs under the lease, is recorded as this staff member’s, audited once, and gives the lease back', async (t) => {
    captureConsole(t)
    const w = world()
    const seen = countRuns(w)
    const during: Array<{ held: boolean; timer: boolean | undefined }> = []
    const listUnpaid = w.orders.listUnpaid.bind(w.orders)
    w.orders.listUnpaid = async (before, limit) => {
      // While it runs the timer's run finds the lease taken and does nothing.
      const timer = await recordedReconcile(w, w.reconcileOptions, {}, { id: 'timer-1', trigger: 'timer', by: null })
      during.push({ held: await w.runs.held(w.clock.now()), timer: timer.busy })
      return listUnpaid(before, limit)
    }
    const startedAt = new Date(w.clock.now()).toISOString()
    const answer = await runNow(w)
    assert.deepEqual(during, [{ held: true, timer: true }])
    assert.deepEqual(answer, {
      ran: true,
      running: false,
      run: { id: RUN_ID, trigger: 'staff', by: 'staff-1', startedAt, finishedAt: startedAt, counts: ZERO, errors: [] },
    })
    assert.equal(seen.runs, 1)
    assert.equal(await w.runs.held(w.clock.now()), false, 'the lease is given back')
    assert.deepEqual([...w.runs.runs.keys()], [RUN_ID], 'the timer’s busy attempt recorded no run')
    assert.deepEqual(await w.consoleAudit.get(REQUEST), {
      requestId: REQUEST,
      staff: 'staff-1',
      action: 'runReconcile',
      outTradeNo: '',
      input: {},
      outcome: 'ok',
      at: new Date(w.clock.now()),
    })
  })

  test('the same request again — later, or from another staff member — runs nothing and answers the run it made', async () => {
    const w = world()
    const seen = countRuns(w)
    const first = await runNow(w)
    w.clock.advance(5 * 60_000)
    const again = await runNow(w)
    const other = await runNow(w, { requestId: REQUEST }, 'staff-2')
    assert.deepEqual(again, { ...first, ran: false })
    assert.deepEqual(other, again)
    assert.equal(seen.runs, 1)
    assert.equal(w.runs.runs.size, 1)
    assert.equal(w.audit.records.size, 1)
    assert.equal((await w.consoleAudit.get(REQUEST))?.staff, 'staff-1')
  })

  test('a run that found errors: counted in the answer, listed with their orders, and the audit says how many', async (t) => {
    captureConsole(t)
    const w = world()
    const failing = ['2026112809000012345678900001', '2026112809000012345678900002']
    failingOrders(w, failing)
    const answer = await runNow(w)
    assert.equal(answer.ran, true)
    assert.equal(answer.run?.counts.errors, 2)
    assert.equal(answer.run?.counts.checked, 2)
    assert.deepEqual(answer.run?.errors.map((e) => e.outTradeNo).sort(), failing)
    const outcome = (await w.consoleAudit.get(REQUEST))?.outcome ?? ''
    assert.notEqual(outcome, 'ok')
    assert.match(outcome, /\b2\b/)
  })

  test('a run that threw is not run again by a retry of its request; the retry answers the failed run', async (t) => {
    captureConsole(t)
    const w = world()
    let reads = 0
    w.orders.listUnpaid = async () => {
      reads++
      throw new Error('database down')
    }
    await assert.rejects(runNow(w), /database down/)
    assert.equal(await w.runs.held(w.clock.now()), false)
    w.clock.advance(60_000)
    const retry = await runNow(w)
    assert.equal(reads, 1)
    assert.equal(retry.ran, false)
    assert.equal(retry.running, false)
    assert.equal(retry.run?.id, RUN_ID)
    assert.equal(retry.run?.counts.errors, 1)
    assert.match(retry.run?.errors[0]?.message ?? '', /database down/)
    assert.equal(w.audit.records.size, 0, 'only a request that ran to the end is audited')
  })

  test('a repeat arriving while the request’s own run is still going: nothing more runs; it answers the unfinished run', async () => {
    const w = world()
    const startedAt = new Date(w.clock.now())
    await w.runs.acquire(RUN_ID, w.clock.now(), w.clock.now() + RECONCILE_LEASE_MS)
    await w.runs.start({ id: RUN_ID, trigger: 'staff', by: 'staff-1', startedAt })
    const seen = countRuns(w)
    w.clock.advance(1000)
    assert.deepEqual(await runNow(w), {
      ran: false,
      running: true,
      run: { id: RUN_ID, trigger: 'staff', by: 'staff-1', startedAt: startedAt.toISOString(), finishedAt: null, counts: ZERO, errors: [] },
    })
    assert.equal(seen.runs, 0)
    assert.equal(w.audit.records.size, 0)
  })
})

describe('runReconcile: one run at a time', () => {
  test('while another run holds the lease nothing starts or is recorded; once it expires the same request runs', async () => {
    const w = world()
    const seen = countRuns(w)
    await w.runs.acquire('timer-9', w.clock.now(), w.clock.now() + RECONCILE_LEASE_MS)
    assert.deepEqual(await runNow(w), { ran: false, running: true, run: null })
    w.clock.advance(RECONCILE_LEASE_MS - 1)
    assert.deepEqual(await runNow(w), { ran: false, running: true, run: null })
    assert.equal(seen.runs, 0)
    assert.equal(w.runs.runs.size, 0)
    assert.equal(w.audit.records.size, 0)
    w.clock.advance(1)
    const ran = await runNow(w)
    assert.equal(ran.ran, true)
    assert.equal(ran.running, false)
    assert.equal(seen.runs, 1)
    assert.equal(w.audit.records.size, 1)
  })
})

describe('runReconcile: refused before anything runs', () => {
  test('a missing or malformed requestId is INVALID_ARGUMENT', async () => {
    const w = world()
    const seen = countRuns(w)
    for (const requestId of [undefined, null, 12345678, ['run-req-0001'], 'short', 'run req 0001', 'run-req-0001/x', 'r'.repeat(61), ''])
      await refusal(runNow(w, { requestId }), 'INVALID_ARGUMENT')
    untouched(w, seen)
    // The bounds themselves are fine.
    assert.equal((await runNow(w, { requestId: 'r'.repeat(8) })).ran, true)
    w.clock.advance(RECONCILE_LEASE_MS)
    assert.equal((await runNow(w, { requestId: 'r'.repeat(60) })).ran, true)
  })

  test('a requestId already used for another action is refused as reused, and that action’s record is kept', async () => {
    const w = world()
    const seen = countRuns(w)
    const ship = {
      requestId: REQUEST,
      staff: 'staff-1',
      action: 'ship' as const,
      outTradeNo: '2026112810000012345678901234',
      input: {},
      outcome: 'ok',
      at: new Date(0),
    }
    await w.audit.record(ship)
    const error = await refusal(runNow(w), 'INVALID_ARGUMENT')
    assert.equal(error.message, REQUEST_REUSED)
    assert.equal(seen.runs, 0)
    assert.equal(w.runs.lease, null)
    assert.equal(w.runs.runs.size, 0)
    assert.deepEqual(w.audit.records.get(REQUEST), ship)
  })
})

describe('reconcileStatus', () => {
  const found = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`)

  test('before any run: no last run, nothing running; while a lease is held: running', async () => {
    const w = world()
    assert.deepEqual(await reconcileStatus(w), { last: null, running: false })
    await w.runs.acquire('timer-1', w.clock.now(), w.clock.now() + RECONCILE_LEASE_MS)
    await w.runs.start({ id: 'timer-1', trigger: 'timer', by: null, startedAt: new Date(w.clock.now()) })
    assert.deepEqual(await reconcileStatus(w), { last: null, running: true }, 'a run still going is not the last finished one')
    w.clock.advance(RECONCILE_LEASE_MS)
    assert.equal((await reconcileStatus(w)).running, false, 'a lease that ran out is not a run going on')
  })

  test('the last finished run, with each thing it found counted and its errors listed', async () => {
    const w = world()
    const startedAt = new Date(w.clock.now())
    const finishedAt = new Date(w.clock.now() + 42_000)
    const result: ReconcileData = {
      checked: 9,
      paid: found(1, 'paid'),
      closed: found(2, 'closed'),
      refundsSettled: found(3, 'refund'),
      latePayments: found(4, 'late'),
      received: found(5, 'received'),
      shippingUploads: found(6, 'upload'),
      errors: [
        { outTradeNo: '2026112810000012345678900001', message: 'gateway down' },
        { outTradeNo: '', message: 'database down' },
      ],
    }
    await w.runs.start({ id: 'timer-1', trigger: 'timer', by: null, startedAt: new Date(0) })
    await w.runs.finish('timer-1', new Date(1000), { ...result, checked: 1 })
    await w.runs.start({ id: RUN_ID, trigger: 'staff', by: 'staff-2', startedAt })
    await w.runs.finish(RUN_ID, finishedAt, result)
    assert.deepEqual(await reconcileStatus(w), {
      last: {
        id: RUN_ID,
        trigger: 'staff',
        by: 'staff-2',
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        counts: { checked: 9, paid: 1, closed: 2, refundsSettled: 3, latePayments: 4, received: 5, shippingUploads: 6, errors: 2 },
        errors: result.errors,
      },
      running: false,
    })
  })
})
