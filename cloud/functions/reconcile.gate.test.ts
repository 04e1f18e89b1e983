// Who may run reconcile: its timer trigger (the timer's own event, no OPENID) or merchant staff.
// A shopper, an HTTP trigger or an anonymous call with any other event is FORBIDDEN and changes nothing.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { timerEvent } from '../local/runner/timers'
import { backdate, call, cloudPayEnv, functionsFolder, placeOrder, simPay, storedOrder, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)

describe('reconcile: the timer or staff, nobody else', () => {
  let cloud: TestCloud
  let outTradeNo: string
  // payNotify is not deployed: the payment's callback is lost, so only reconcile can learn of it.
  before(async () => {
    cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF }, functionsDir: functionsFolder(['payNotify']) })
    const order = await placeOrder(cloud, 'pia-1')
    outTradeNo = order.outTradeNo
    await simPay(cloud, outTradeNo)
    await backdate(cloud, outTradeNo, 20 * 60_000)
  })
  after(() => cloud.stop())

  const anonymous = async (event: unknown): Promise<Result<unknown>> => {
    const outcome = await cloud.runner.invoke('reconcile', event, { source: 'timer' })
    assert.ok(outcome.ok, JSON.stringify(outcome))
    return outcome.result as Result<unknown>
  }
  const untouched = () => {
    const order = storedOrder(cloud, outTradeNo)
    assert.equal(order?.['status'], 'NOTPAY')
    assert.equal(order?.['reconciledAt'], undefined, 'not even looked at')
  }

  test('a shopper is FORBIDDEN', async () => {
    assert.equal(code(await call(cloud, 'reconcile', {}, 'shopper-1')), 'FORBIDDEN')
    assert.equal(code(await call(cloud, 'reconcile', timerEvent('reconcileEveryTenMinutes', new Date()), 'shopper-1')), 'FORBIDDEN')
    untouched()
  })

  test('a call without OPENID that is not the timer event is FORBIDDEN and changes nothing', async () => {
    const timer = timerEvent('reconcileEveryTenMinutes', new Date())
    for (const event of [
      {},
      null,
      'Timer',
      [timer],
      { Type: 'timer', TriggerName: timer.TriggerName, Time: timer.Time },
      { ...timer, olderThanSeconds: 0 },
      { ...timer, Time: 'now' },
      { ...timer, httpMethod: 'POST' },
      { Type: 'Timer', TriggerName: timer.TriggerName },
    ]) {
      assert.equal(code(await anonymous(event)), 'FORBIDDEN', JSON.stringify(event))
    }
    untouched()
  })

  test('an HTTP trigger is FORBIDDEN, whatever its body says', async () => {
    for (const body of ['', JSON.stringify(timerEvent('reconcileEveryTenMinutes', new Date()))]) {
      const res = await fetch(`${cloud.url}/api/http/reconcile`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      assert.equal(res.status, 200)
      assert.equal(code((await res.json()) as Result<unknown>), 'FORBIDDEN')
    }
    untouched()
  })

  test('the timer event, as the local runner sends it, runs it', async () => {
    const result = await anonymous(timerEvent('reconcileEveryTenMinutes', new Date()))
    assert.ok(result.ok, JSON.stringify(result))
    assert.deepEqual((result.data as { paid: string[] }).paid, [outTradeNo])
    assert.equal(storedOrder(cloud, outTradeNo)?.['status'], 'SUCCESS')
  })

  test('staff run it', async () => {
    const result = await call<{ checked: number }>(cloud, 'reconcile', { olderThanSeconds: 60 }, STAFF)
    assert.ok(result.ok, JSON.stringify(result))
    assert.equal(typeof result.data.checked, 'number')
  })
})
