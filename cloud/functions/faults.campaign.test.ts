// The fault campaign, a few runs of each scenario in each pay mode: nothing lost, no double
// transition, no wrong state, no refund paid twice, every delivered notification on record.
// `npm run reliability` runs the same campaign longer and writes docs/reliability.md.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { reconcileAndAudit, runScenario, SCENARIOS, STAFF } from '../local/testing/campaign'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { recordRow } from '../local/testing/report'
import { cloudPayEnv, merchantEnv } from '../local/testing/shop'

const RUNS = Number(process.env['CAMPAIGN_RUNS'] ?? 2)

for (const mode of ['cloudpay', 'merchant'] as const) {
  describe(`${mode}: faults`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await startTestCloud({ functionEnv: { ...(mode === 'cloudpay' ? cloudPayEnv() : merchantEnv()), ADMIN_OPENIDS: STAFF } })
    })
    after(() => cloud.stop())

    for (const scenario of SCENARIOS.filter((s) => s.modes.includes(mode))) {
      test(scenario.name, async () => {
        const tally = await runScenario(cloud, scenario, mode, RUNS, 'test')
        recordRow({
          area: 'fault',
          what: scenario.name,
          mode,
          times: tally.runs,
          ordersLost: tally.ordersLost,
          doubleTransitions: tally.doubleTransitions,
          wrongStates: tally.wrongStates,
          other: { faultsFired: tally.faultsFired, refundsPaidTwice: tally.refundsPaidTwice, unrecordedNotifications: tally.unrecordedNotifications },
        })
        assert.equal(tally.runs, RUNS)
        assert.ok(tally.faultsFired >= RUNS, `the fault fired (${tally.faultsFired})`)
        assert.deepEqual(
          {
            ordersLost: tally.ordersLost,
            doubleTransitions: tally.doubleTransitions,
            wrongStates: tally.wrongStates,
            refundsPaidTwice: tally.refundsPaidTwice,
            unrecordedNotifications: tally.unrecordedNotifications,
          },
          { ordersLost: 0, doubleTransitions: 0, wrongStates: 0, refundsPaidTwice: 0, unrecordedNotifications: 0 },
        )
      })
    }

    test('after reconciliation no paid order is unpaid and no unpaid order is paid', async () => {
      const audit = await reconcileAndAudit(cloud)
      recordRow({
        area: 'audit',
        what: 'reconciliation audit of every order after the campaign',
        mode,
        times: audit.orders,
        ordersLost: 0,
        doubleTransitions: 0,
        wrongStates: audit.paidButUnpaid + audit.unpaidButPaid,
        other: { paidButUnpaid: audit.paidButUnpaid, unpaidButPaid: audit.unpaidButPaid },
      })
      assert.ok(audit.orders > 0)
      assert.deepEqual({ paidButUnpaid: audit.paidButUnpaid, unpaidButPaid: audit.unpaidButPaid }, { paidButUnpaid: 0, unpaidButPaid: 0 })
    })
  })
}
