import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pageAt } from './gallery'

test('pageAt names the picture that fills most of the view', () => {
  // Three pictures 390 wide: a row 1170 wide.
  assert.equal(pageAt(0, 1170, 3), 0)
  assert.equal(pageAt(194, 1170, 3), 0)
  assert.equal(pageAt(196, 1170, 3), 1)
  assert.equal(pageAt(390, 1170, 3), 1)
  assert.equal(pageAt(780, 1170, 3), 2)
})

test('pageAt stays within the pictures when the row bounces past an end or is not laid out yet', () => {
  assert.equal(pageAt(-40, 1170, 3), 0)
  assert.equal(pageAt(900, 1170, 3), 2)
  assert.equal(pageAt(100, 0, 3), 0)
  assert.equal(pageAt(100, 1170, 0), 0)
})
