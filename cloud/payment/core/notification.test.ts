import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parsePaidNotification, snapshotOf } from './notification'

const OUT_TRADE_NO = '20260102110405AbCdEfGhIjKlMn'

/** A successful payment as a cloudPay callback event carries it. */
const cloudPay = {
  returnCode: 'SUCCESS',
  resultCode: 'SUCCESS',
  outTradeNo: OUT_TRADE_NO,
  transactionId: '4200001234202601021234567890',
  totalFee: 1990,
  mchId: '1900000109',
  timeEnd: '20260102110500',
}
/** The same payment as merchant XML carries it: every value is text. */
const merchantXml = { ...cloudPay, totalFee: '1990' }

type Fields = Parameters<typeof parsePaidNotification>[0]

function reason(fields: Fields, encoding: 'json' | 'xml' = 'json'): string {
  const parsed = parsePaidNotification(fields, encoding)
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(fields)}`)
  return parsed.ok ? '' : parsed.reason
}

function accepts(fields: Fields, encoding: 'json' | 'xml' = 'json'): void {
  const parsed = parsePaidNotification(fields, encoding)
  assert.equal(parsed.ok, true, parsed.ok ? '' : `${parsed.reason} for ${JSON.stringify(fields)}`)
}

describe('parsePaidNotification', () => {
  test('reads a cloudPay event into the facts of the payment', () => {
    assert.deepEqual(parsePaidNotification(cloudPay, 'json'), {
      ok: true,
      facts: { outTradeNo: OUT_TRADE_NO, transactionId: '4200001234202601021234567890', totalFee: 1990, mchId: '1900000109', timeEnd: '20260102110500' },
    })
  })

  test('reads merchant XML, where the amount is text, into the same facts', () => {
    assert.deepEqual(parsePaidNotification(merchantXml, 'xml'), parsePaidNotification(cloudPay, 'json'))
  })

  test('time_end is optional, and absent from the facts when absent', () => {
    assert.deepEqual(parsePaidNotification({ ...cloudPay, timeEnd: undefined }, 'json'), {
      ok: true,
      facts: { outTradeNo: OUT_TRADE_NO, transactionId: '4200001234202601021234567890', totalFee: 1990, mchId: '1900000109' },
    })
  })

  test('a failed or unanswered payment is not a payment', () => {
    assert.equal(reason({ ...cloudPay, returnCode: 'FAIL' }), 'return_code is FAIL')
    assert.equal(reason({ ...cloudPay, returnCode: undefined }), 'return_code is undefined')
    assert.equal(reason({ ...cloudPay, returnCode: ['SUCCESS'] }), 'return_code is SUCCESS')
    assert.equal(reason({ ...cloudPay, resultCode: 'FAIL' }), 'result_code is FAIL: not a successful payment')
    assert.equal(reason({ ...cloudPay, resultCode: null }), 'result_code is null: not a successful payment')
  })

  test('out_trade_no must be one of ours in shape', () => {
    for (const bad of [undefined, '', 'short', 'x'.repeat(33), 'has space 123', 12345678]) {
      assert.equal(reason({ ...cloudPay, outTradeNo: bad }), 'out_trade_no is missing or malformed')
    }
  })

  test('transaction_id: 1 to 64 letters, digits, _ or -', () => {
    for (const good of ['1', 'x'.repeat(64), 'Aa0_-Zz9', 'AZaz09', '_', '-']) accepts({ ...cloudPay, transactionId: good })
    for (const bad of [undefined, '', 'x'.repeat(65), '!abc', 'abc!', 'a b', 'a.b', 'abç', 4200001234, ['abc']]) {
      assert.equal(reason({ ...cloudPay, transactionId: bad }), 'transaction_id is missing or malformed', JSON.stringify(bad))
    }
  })

  test('mch_id: 1 to 32 digits, as text', () => {
    for (const good of ['1', '0', '9'.repeat(32), '1234567890']) accepts({ ...cloudPay, mchId: good })
    for (const bad of [undefined, '', '1'.repeat(33), 'a1', '1a', '１', ' 1', 'abc', 1900000109]) {
      assert.equal(reason({ ...cloudPay, mchId: bad }), 'mch_id is missing or malformed', JSON.stringify(bad))
    }
  })

  test('in a cloudPay event the amount is a positive safe integer number', () => {
    accepts({ ...cloudPay, totalFee: 1 })
    accepts({ ...cloudPay, totalFee: Number.MAX_SAFE_INTEGER })
    for (const bad of [0, -1, 19.9, Number.NaN, Infinity, 2 ** 53, '1990', undefined, null]) {
      assert.equal(reason({ ...cloudPay, totalFee: bad }), 'total_fee is missing or malformed', String(bad))
    }
  })

  test('in merchant XML the amount is 1 to 10 digits of text, above zero', () => {
    for (const good of ['1', '9', '0001', '1234567890', '9999999999']) accepts({ ...merchantXml, totalFee: good }, 'xml')
    assert.deepEqual(parsePaidNotification({ ...merchantXml, totalFee: '0001' }, 'xml').ok && 'parsed', 'parsed')
    for (const bad of ['0', '', '12345678901', '19.9', '-1', '+1', ' 1', '1 ', 'x1', '1x', '1e3', '0x10', '１', 1990, undefined]) {
      assert.equal(reason({ ...merchantXml, totalFee: bad }, 'xml'), 'total_fee is missing or malformed', JSON.stringify(bad))
    }
  })

  test('the amount comes out as a number of fen in both encodings', () => {
    const fromXml = parsePaidNotification({ ...merchantXml, totalFee: '0042' }, 'xml')
    assert.equal(fromXml.ok && fromXml.facts.totalFee, 42)
    const fromJson = parsePaidNotification({ ...cloudPay, totalFee: 42 }, 'json')
    assert.equal(fromJson.ok && fromJson.facts.totalFee, 42)
  })

  test('time_end, when present, is exactly 14 digits of text', () => {
    for (const bad of [
      '',
      '2026010211050',
      '202601021105000',
      'x20260102110500',
      '20260102110500x',
      '2026-01-02T11:05',
      'abcdefghijklmn',
      20260102110500,
      null,
    ]) {
      assert.equal(reason({ ...cloudPay, timeEnd: bad }), 'time_end is malformed', JSON.stringify(bad))
    }
  })

  test('checks the fields in order, so the first problem is the one reported', () => {
    assert.equal(reason({ ...cloudPay, returnCode: 'FAIL', resultCode: 'FAIL', outTradeNo: '' }), 'return_code is FAIL')
    assert.equal(reason({ ...cloudPay, outTradeNo: '', transactionId: '' }), 'out_trade_no is missing or malformed')
    assert.equal(reason({ ...cloudPay, transactionId: '', mchId: '' }), 'transaction_id is missing or malformed')
    assert.equal(reason({ ...cloudPay, mchId: '', totalFee: 0 }), 'mch_id is missing or malformed')
    assert.equal(reason({ ...cloudPay, totalFee: 0, timeEnd: 'x' }), 'total_fee is missing or malformed')
  })
})

describe('snapshotOf', () => {
  test('keeps primitive fields as they are', () => {
    assert.deepEqual(snapshotOf({ a: 'text', b: 12, c: true, d: false, e: null, Aa0_Zz9: 0 }), { a: 'text', b: 12, c: true, d: false, e: null, Aa0_Zz9: 0 })
  })

  test('names the type of anything else instead of copying it', () => {
    assert.deepEqual(snapshotOf({ list: [1, 2], nested: { x: 1 }, nothing: undefined, fn: () => 1 }), {
      list: '[array]',
      nested: '[object]',
      nothing: '[undefined]',
      fn: '[function]',
    })
  })

  test('cuts strings at 512 characters', () => {
    const snapshot = snapshotOf({ long: 'x'.repeat(513), exact: 'y'.repeat(512) })
    assert.equal(snapshot['long'], 'x'.repeat(512))
    assert.equal(snapshot['exact'], 'y'.repeat(512))
  })

  test('drops keys that are not 1 to 64 letters, digits or _', () => {
    const key64 = 'k'.repeat(64)
    const snapshot = snapshotOf({ [key64]: 1, ['k'.repeat(65)]: 2, '': 3, 'a-b': 4, 'a b': 5, $x: 6, x$: 7, é: 8, 'a.b': 9 })
    assert.deepEqual(snapshot, { [key64]: 1 })
  })

  test('keeps at most 60 entries and says it cut the rest', () => {
    const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]))
    assert.deepEqual(snapshotOf(fields(60)), fields(60))
    assert.deepEqual(snapshotOf(fields(61)), { ...fields(60), _truncated: true })
    assert.equal(Object.keys(snapshotOf(fields(1000))).length, 61)
  })

  test('keeps no prototype', () => {
    const snapshot = snapshotOf(JSON.parse('{"__proto__": {"polluted": 1}, "ok": 1}'))
    assert.equal(Object.getPrototypeOf(snapshot), Object.prototype)
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined)
    assert.equal(snapshot['ok'], 1)
  })

  test('a body that is not an object is kept as a short string or its type', () => {
    assert.deepEqual(snapshotOf('<xml>bad'), { value: '<xml>bad' })
    assert.deepEqual(snapshotOf('x'.repeat(2001)), { value: 'x'.repeat(2000) })
    assert.deepEqual(snapshotOf('y'.repeat(2000)), { value: 'y'.repeat(2000) })
    assert.deepEqual(snapshotOf(42), { value: 'number' })
    assert.deepEqual(snapshotOf(undefined), { value: 'undefined' })
    assert.deepEqual(snapshotOf(null), { value: 'object' })
    assert.deepEqual(snapshotOf(['a', 'b']), { value: 'object' })
  })
})
