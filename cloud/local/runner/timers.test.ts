import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cronMatcher, readTimerTriggers } from './timers'
import { BUILT_FUNCTIONS } from '../testing/harness'

test('7-field cron expressions in Beijing time', () => {
  const everyTen = cronMatcher('0 */10 * * * * *')
  assert.equal(everyTen(new Date('2026-11-27T01:20:00Z')), true)
  assert.equal(everyTen(new Date('2026-11-27T01:20:01Z')), false)
  assert.equal(everyTen(new Date('2026-11-27T01:25:00Z')), false)
  const nineAm = cronMatcher('0 0 9 * * 1-5 *') // weekdays 09:00 Beijing = 01:00 UTC
  assert.equal(nineAm(new Date('2026-11-27T01:00:00Z')), true) // a Friday
  assert.equal(nineAm(new Date('2026-11-28T01:00:00Z')), false) // Saturday
  assert.throws(() => cronMatcher('*/5 * * * *'), /7 fields/)
  assert.throws(() => cronMatcher('0 0 25 * * * *'), /unsupported/)
})

test("the reconcile function's timer trigger is read from its config.json", () => {
  const triggers = readTimerTriggers(BUILT_FUNCTIONS)
  const reconcile = triggers.find((t) => t.functionName === 'reconcile')
  assert.ok(reconcile, 'build the functions first')
  assert.equal(reconcile.cron, '0 */10 * * * * *')
})
