import assert from 'node:assert/strict'
import { test } from 'node:test'
import dayjs from 'dayjs'
import { formatTime, remaining } from './time'

test('formatTime writes the local date and time like dayjs YYYY-MM-DD HH:mm:ss', () => {
  for (const iso of ['2026-11-27T01:30:05.000Z', '2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z', '2024-02-29T16:05:09+08:00']) {
    assert.equal(formatTime(iso), dayjs(iso).format('YYYY-MM-DD HH:mm:ss'), iso)
  }
})

test('formatTime shows a dash for nothing or for a date it cannot read', () => {
  assert.equal(formatTime(null), '—')
  assert.equal(formatTime(''), '—')
  assert.equal(formatTime('not a date'), '—')
})

test('remaining counts down in mm:ss, h:mm:ss over an hour, and null once past', () => {
  const now = Date.parse('2026-11-27T00:00:00Z')
  assert.equal(remaining('2026-11-27T00:14:59Z', now), '14:59')
  assert.equal(remaining('2026-11-27T01:02:03Z', now), '1:02:03')
  assert.equal(remaining('2026-11-27T00:00:00Z', now), null)
  assert.equal(remaining('2026-11-26T23:00:00Z', now), null)
})
