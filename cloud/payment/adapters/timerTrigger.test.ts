import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isTimerEvent } from './timerTrigger'

test('only the timer trigger event counts as the timer', () => {
  const timer = { Type: 'Timer', TriggerName: 'reconcileEveryTenMinutes', Time: '2026-11-27T04:10:00Z' }
  assert.equal(isTimerEvent(timer), true)
  assert.equal(isTimerEvent({ ...timer, Time: '2026-11-27T04:10:00.000Z' }), true)
  assert.equal(isTimerEvent({ ...timer, Message: '' }), true)
  for (const event of [
    undefined,
    null,
    {},
    [],
    'Timer',
    { ...timer, Type: 'timer' },
    { ...timer, TriggerName: '' },
    { ...timer, TriggerName: 7 },
    { ...timer, Time: 'yesterday' },
    { ...timer, Time: undefined },
    { ...timer, Message: {} },
    { ...timer, httpMethod: 'POST' },
    { ...timer, olderThanSeconds: 0 },
  ])
    assert.equal(isTimerEvent(event), false, JSON.stringify(event))
})
