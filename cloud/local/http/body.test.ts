import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HttpError, jsonDepthExceeds, MAX_JSON_DEPTH, parseJsonBody } from './body'

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`

test('JSON depth: 64 levels pass, 65 are refused, brackets inside strings do not count', () => {
  assert.equal(MAX_JSON_DEPTH, 64)
  assert.deepEqual(parseJsonBody(Buffer.from(nested(64))), JSON.parse(nested(64)))
  assert.throws(
    () => parseJsonBody(Buffer.from(nested(65))),
    (error: unknown) => error instanceof HttpError && error.status === 400 && error.code === 'INVALID_JSON' && /deeper than 64/.test(error.message),
  )
  assert.equal(jsonDepthExceeds(`{"a":"${'['.repeat(200)}","b":"\\"${'{'.repeat(200)}"}`, 1), false)
  assert.equal(jsonDepthExceeds(`[${nested(2)}]`, 2), true)
  assert.equal(jsonDepthExceeds(`[${nested(1)},${nested(1)}]`, 2), false)
  // Iterative: a million levels is an answer, not a stack overflow.
  assert.equal(jsonDepthExceeds('{"a":'.repeat(1_000_000), MAX_JSON_DEPTH), true)
})
