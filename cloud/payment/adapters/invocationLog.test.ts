import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { AppError } from '../errors'
import {
  failureOutcome,
  hashOpenid,
  invocationLine,
  MAX_DETAIL,
  notifyOutcome,
  OPENID_HASH_HEX,
  outTradeNoOf,
  redact,
  requestIdOf,
  type InvocationRecord,
} from './invocationLog'

const record: InvocationRecord = {
  fn: 'createOrder',
  build: 'abc123',
  requestId: 'req-1',
  outTradeNo: '2026112712000012345678901234',
  caller: 'shopper',
  openidHash: 'deadbeefdeadbeef',
  outcome: 'ok',
  ms: 12.6,
}

test('the line is one JSON object with the keys in a fixed order; absent keys are left out', () => {
  const line = invocationLine(record)
  assert.doesNotMatch(line, /\n/)
  assert.deepEqual(Object.keys(JSON.parse(line) as object), ['fn', 'build', 'requestId', 'outTradeNo', 'caller', 'openidHash', 'outcome', 'ms'])
  assert.equal((JSON.parse(line) as { ms: number }).ms, 13)

  const bare = JSON.parse(
    invocationLine({ fn: 'reconcile', build: 'unknown', requestId: 'r', caller: 'system', outcome: 'FORBIDDEN', ms: 1, detail: 'why' }),
  ) as object
  assert.deepEqual(Object.keys(bare), ['fn', 'build', 'requestId', 'caller', 'outcome', 'ms', 'detail'])
})

test('a detail with line breaks stays one line, and a long one is cut', () => {
  const line = invocationLine({ ...record, outcome: 'INTERNAL', detail: `Error: boom\n    at x\n${'y'.repeat(5000)}` })
  assert.equal(line.split('\n').length, 1)
  const detail = (JSON.parse(line) as { detail: string }).detail
  assert.equal(detail.length, MAX_DETAIL)
  assert.ok(detail.startsWith('Error: boom\n    at x'))
})

test("secrets (the key, the caller's OPENID) are redacted from the detail; short ones are not treated as secrets", () => {
  const key = 'K3yK3yK3yK3yK3yK3yK3yK3yK3yK3y01'
  const openid = 'oShopper_1234567890abcdefghij'
  const detail = `the gateway said: key=${key}, ok; ${openid} is not in ADMIN_OPENIDS`
  const line = invocationLine({ ...record, outcome: 'FORBIDDEN', detail }, [key, 'ok', openid])
  assert.ok(!line.includes(key))
  assert.ok(!line.includes(openid))
  assert.equal((JSON.parse(line) as { detail: string }).detail, 'the gateway said: key=[redacted], ok; [redacted] is not in ADMIN_OPENIDS')
  assert.equal(redact(`${key}${key}`, [key]), '[redacted][redacted]')
})

test('the OPENID hash: short hex, salted, stable, never the OPENID', () => {
  const openid = 'oShopper_1234567890abcdefghij'
  const hash = hashOpenid(openid, 'env-a')
  assert.match(hash, new RegExp(`^[0-9a-f]{${OPENID_HASH_HEX}}$`))
  assert.equal(hash, hashOpenid(openid, 'env-a'))
  assert.notEqual(hash, hashOpenid(openid, 'env-b'), 'another environment, another hash')
  assert.notEqual(hash, hashOpenid('oShopper_1234567890abcdefghik', 'env-a'))
  assert.equal(
    hash,
    createHash('sha256')
      .update('env-a\u0000' + openid)
      .digest('hex')
      .slice(0, OPENID_HASH_HEX),
  )
  assert.notEqual(hash, createHash('sha256').update(openid).digest('hex').slice(0, OPENID_HASH_HEX), 'unsalted would be the same in every shop')
})

test('the request id is the cloud context one, else a fresh one', () => {
  assert.equal(requestIdOf({ request_id: '4b6c1f0e-aa11-4c1d-9f00-123456789abc' }), '4b6c1f0e-aa11-4c1d-9f00-123456789abc')
  for (const context of [undefined, null, {}, { request_id: 7 }, { request_id: 'a b' }, { request_id: 'x'.repeat(200) }]) {
    const id = requestIdOf(context)
    assert.match(id, /^[0-9a-f]{32}$/, JSON.stringify(context))
  }
  assert.notEqual(requestIdOf(undefined), requestIdOf(undefined))
})

test('outTradeNo: the first well-formed one of the event or the answer, nothing made up', () => {
  assert.equal(outTradeNoOf({ outTradeNo: 'ORDER_123' }, { outTradeNo: 'OTHER_456' }), 'ORDER_123')
  assert.equal(outTradeNoOf({ items: [] }, { outTradeNo: 'OTHER_456' }), 'OTHER_456')
  assert.equal(outTradeNoOf(undefined, null, 'x'), undefined)
  assert.equal(outTradeNoOf({ outTradeNo: 'a"b\nc-too-odd' }), undefined)
  assert.equal(outTradeNoOf({ outTradeNo: 'x'.repeat(33) }), undefined)
  assert.equal(outTradeNoOf({ outTradeNo: 12345678 }), undefined)
})

test('outcome: the AppError code with its operator detail; anything else is INTERNAL with its stack', () => {
  const refused = failureOutcome(new AppError('ORDER_NOT_FOUND', '订单不存在', { detail: 'order X not found for this caller' }))
  assert.deepEqual(refused, { outcome: 'ORDER_NOT_FOUND', detail: 'ORDER_NOT_FOUND: 订单不存在 — order X not found for this caller' })
  const unexpected = failureOutcome(new TypeError('cannot read x of undefined'))
  assert.equal(unexpected.outcome, 'INTERNAL')
  assert.match(unexpected.detail, /^TypeError: cannot read x of undefined\n\s+at /)
  assert.deepEqual(failureOutcome('plain'), { outcome: 'INTERNAL', detail: 'plain' })
})

test("payNotify's outcome: acknowledged is ok, refused is UNAUTHENTICATED with the reason", () => {
  assert.deepEqual(notifyOutcome({ ack: true, message: 'OK' }), { outcome: 'ok' })
  assert.deepEqual(notifyOutcome({ ack: false, message: '签名失败' }), { outcome: 'UNAUTHENTICATED', detail: 'payNotify refused: 签名失败' })
})
