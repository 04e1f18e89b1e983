import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { beijingTimestamp, parseBeijingTimestamp } from './beijingTime'

describe('beijingTimestamp', () => {
  test('is UTC+8 with every field zero-padded', () => {
    assert.equal(beijingTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5)), '20260102110405')
    assert.equal(beijingTimestamp(0), '19700101080000')
  })

  test('crosses midnight, month and year ends eight hours before UTC does', () => {
    assert.equal(beijingTimestamp(Date.UTC(2026, 11, 31, 15, 59, 59)), '20261231235959')
    assert.equal(beijingTimestamp(Date.UTC(2026, 11, 31, 16, 0, 0)), '20270101000000')
    assert.equal(beijingTimestamp(Date.UTC(2028, 1, 28, 16, 0, 0)), '20280229000000')
  })

  test('pads years before 1000 to four digits', () => {
    assert.equal(beijingTimestamp(Date.UTC(999, 9, 10, 1, 2, 3) - 8 * 3600 * 1000), '09991010010203')
  })
})

describe('parseBeijingTimestamp', () => {
  test('is the inverse of beijingTimestamp, to the millisecond', () => {
    for (const ms of [0, Date.UTC(2026, 0, 2, 3, 4, 5), Date.UTC(2026, 11, 31, 16, 0, 0), Date.UTC(2028, 1, 28, 23, 59, 59)]) {
      assert.equal(parseBeijingTimestamp(beijingTimestamp(ms)), ms)
    }
    assert.equal(parseBeijingTimestamp('20260102110405'), Date.UTC(2026, 0, 2, 3, 4, 5))
  })

  test('refuses dates and times that do not exist', () => {
    for (const bad of ['20270229120000', '20261301000000', '20260100000000', '20260132000000', '20260101240000', '20260101006000', '20260101000060']) {
      assert.equal(parseBeijingTimestamp(bad), undefined, bad)
    }
  })

  test('refuses anything but exactly fourteen digits', () => {
    for (const bad of [
      '',
      '2026010211040',
      '202601021104050',
      'x20260102110405',
      '20260102110405x',
      '2026-01-02 11:04',
      '２０２６０１０２１１０４０５',
      '20260102 11040',
    ]) {
      assert.equal(parseBeijingTimestamp(bad), undefined, bad)
    }
  })
})
