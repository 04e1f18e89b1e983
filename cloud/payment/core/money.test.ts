import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { AppError } from '../errors'
import { addFen, fen, timesQuantity } from './money'

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  assert.fail('expected an AppError')
}

describe('fen', () => {
  test('zero is an amount', () => {
    assert.equal(fen(0), 0)
  })

  test('the largest safe integer is an amount, one more is not', () => {
    assert.equal(fen(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER)
    assert.equal(refusal(() => fen(Number.MAX_SAFE_INTEGER + 1)).code, 'INVALID_ARGUMENT')
  })

  test('refuses what is not a number of fen, whatever its type', () => {
    for (const bad of ['0', '100', true, {}, [1], undefined, 10n, -0.5, 0.1]) {
      assert.equal(refusal(() => fen(bad)).code, 'INVALID_ARGUMENT', String(bad))
    }
  })

  test('tells the shopper the amount is wrong and the operator which amount, in the words it was given', () => {
    const plain = refusal(() => fen(-1))
    assert.equal(plain.message, '金额有误')
    assert.equal(plain.detail, 'amount must be a non-negative integer number of fen')
    assert.equal(refusal(() => fen(1.5, 'refundFee')).detail, 'refundFee must be a non-negative integer number of fen')
  })
})

describe('fen arithmetic', () => {
  test('adds', () => {
    assert.equal(addFen(fen(1990), fen(10)), 2000)
    assert.equal(addFen(fen(0), fen(0)), 0)
  })

  test('a sum past the safe integers is refused, not rounded', () => {
    assert.equal(refusal(() => addFen(fen(Number.MAX_SAFE_INTEGER), fen(1))).code, 'INVALID_ARGUMENT')
  })

  test('multiplies a price by a quantity', () => {
    assert.equal(timesQuantity(fen(1990), 3), 5970)
    assert.equal(timesQuantity(fen(1990), 1), 1990)
    assert.equal(timesQuantity(fen(1990), 0), 0)
  })

  test('a fractional or negative quantity cannot make a valid amount', () => {
    assert.equal(refusal(() => timesQuantity(fen(3), 0.5)).code, 'INVALID_ARGUMENT')
    assert.equal(refusal(() => timesQuantity(fen(3), -1)).code, 'INVALID_ARGUMENT')
  })
})
