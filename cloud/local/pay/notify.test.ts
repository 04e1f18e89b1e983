import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RETRY_SCHEDULE_MS } from './delivery'
import { PaySimError } from './errors'
import { ALICE_TOKEN, harness, unifiedOrderData, type Harness } from './fakes'
import type { SimClock } from './ports'

const TRADE = 'T20240321000001'

async function paid(h: Harness) {
  await h.sim.cloudPayApi('unifiedOrder', unifiedOrderData(), ALICE_TOKEN)
  return h.sim.simPay({ outTradeNo: TRADE, result: 'SUCCESS' })
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number))

describe('payment callback retries', () => {
  it('follow the scaled schedule while the handler fails, and stop at the first acknowledgement', async () => {
    const h = harness({ timeScale: 0.5 })
    const failures: Array<() => unknown> = [
      () => ({ errcode: -1, errmsg: 'db down' }),
      () => {
        throw new Error('FUNCTION_ERROR: boom')
      },
      () => undefined,
      () => ({ errcode: '0' }),
    ]
    h.invoker.reply = (_fn, _event, n) => (failures[n - 1] ?? (() => ({ errcode: 0, errmsg: '' })))()
    const outcome = await paid(h)
    assert.equal(outcome.firstAttempt?.acknowledged, false)
    await h.clock.advance(24 * 3600_000)
    const times = h.invoker.calls.map((c) => c.at)
    assert.equal(times.length, 5)
    assert.deepEqual(
      gaps(times),
      RETRY_SCHEDULE_MS.slice(0, 4).map((ms) => ms * 0.5),
    )
    const [record] = await h.sim.listNotifications({ outTradeNo: TRADE })
    assert.equal(record?.status, 'ACKNOWLEDGED')
    assert.equal(record?.nextAttemptAt, null)
    assert.deepEqual(
      record?.attempts.map((a) => a.acknowledged),
      [false, false, false, false, true],
    )
    assert.match(record?.attempts[0]?.error ?? '', /db down/)
    assert.match(record?.attempts[1]?.error ?? '', /boom/)
    assert.deepEqual(h.clock.pending(), [])
  })

  it('gives up after the 15 retries of the schedule (24h 4m unscaled)', async () => {
    const h = harness({ timeScale: 0.01 })
    h.invoker.reply = () => ({ errcode: 1 })
    await paid(h)
    await h.clock.advance(2 * 24 * 3600_000)
    const times = h.invoker.calls.map((c) => c.at)
    assert.equal(times.length, 16)
    assert.deepEqual(
      gaps(times),
      RETRY_SCHEDULE_MS.map((ms) => ms * 0.01),
    )
    assert.equal(
      RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0),
      (24 * 60 + 4) * 60_000,
    )
    const [record] = await h.sim.listNotifications()
    assert.equal(record?.status, 'GAVE_UP')
    assert.deepEqual(h.clock.pending(), [])
  })

  it('counts a handler that does not answer within the timeout as a failed attempt', async () => {
    const h = harness({ timeScale: 1, notifyTimeoutMs: 5000 })
    h.invoker.reply = (_fn, _event, n) => (n === 1 ? new Promise(() => undefined) : { errcode: 0 })
    await h.sim.cloudPayApi('unifiedOrder', unifiedOrderData(), ALICE_TOKEN)
    const paying = h.sim.simPay({ outTradeNo: TRADE, result: 'SUCCESS' })
    await h.clock.advance(5000)
    const outcome = await paying
    assert.equal(outcome.firstAttempt?.error, 'no reply within 5000 ms')
    await h.clock.advance(15_000)
    const [record] = await h.sim.listNotifications()
    assert.equal(record?.status, 'ACKNOWLEDGED')
    assert.equal(record?.attempts.length, 2)
  })

  it('survive a restart: stop() cancels timers, resume() re-arms the stored next attempt', async () => {
    const h = harness({ timeScale: 1 })
    h.invoker.reply = (_fn, _event, n) => (n === 1 ? { errcode: -1 } : { errcode: 0 })
    await paid(h)
    const [pending] = await h.sim.listNotifications()
    assert.equal(pending?.nextAttemptAt, (pending?.attempts[0]?.at ?? 0) + 15_000)
    h.sim.stop()
    assert.deepEqual(h.clock.pending(), [])
    await h.clock.advance(10_000)
    const restarted = h.restart()
    await restarted.resume()
    await h.clock.advance(4_999)
    assert.equal(h.invoker.calls.length, 1)
    await h.clock.advance(1)
    assert.equal(h.invoker.calls.length, 2)
    const [done] = await restarted.listNotifications()
    assert.equal(done?.status, 'ACKNOWLEDGED')
  })

  it('recreates a payment notification lost to a crash between two writes', async () => {
    const h = harness()
    await h.sim.cloudPayApi('unifiedOrder', unifiedOrderData(), ALICE_TOKEN)
    h.store.failPutsTo.add('_sim_notifications')
    await assert.rejects(h.sim.simPay({ outTradeNo: TRADE, result: 'SUCCESS' }), (e: unknown) => e instanceof PaySimError && e.code === 'STORE_ERROR')
    h.store.failPutsTo.clear()
    const restarted = h.restart()
    await restarted.resume()
    await h.clock.advance(0)
    assert.equal(h.invoker.calls.length, 1)
    assert.equal((await restarted.listNotifications())[0]?.status, 'ACKNOWLEDGED')
  })

  it('runs on real timers with a small timeScale', async () => {
    const realClock: SimClock = {
      now: () => Date.now(),
      setTimeout(fn, ms) {
        const t = setTimeout(fn, ms)
        return { cancel: () => clearTimeout(t) }
      },
    }
    const h = harness({ clock: realClock, timeScale: 0.0002 })
    h.invoker.reply = (_fn, _event, n) => (n < 3 ? { errcode: -1 } : { errcode: 0 })
    await h.sim.cloudPayApi('unifiedOrder', unifiedOrderData(), ALICE_TOKEN)
    await h.sim.simPay({ outTradeNo: TRADE, result: 'SUCCESS' })
    const deadline = Date.now() + 3000
    while (h.invoker.calls.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    await new Promise((r) => setTimeout(r, 20))
    h.sim.stop()
    const [record] = await h.sim.listNotifications()
    assert.equal(record?.status, 'ACKNOWLEDGED')
    assert.equal(h.invoker.calls.length, 3)
  })
})
