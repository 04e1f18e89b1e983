// One JSON log line per invocation, read from what the built functions print in the local cloud
// (the real wx-server-sdk inside): the keys, who called, the order, the outcome with the operator's
// detail, and never the raw OPENID.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { builtHash, captureOutput } from '../local/testing/functionOutput'
import { call, cloudPayEnv, data, placeOrder, simPay, waitFor } from '../local/testing/shop'
import { hashOpenid, OPENID_HASH_HEX } from '../payment/adapters/invocationLog'

const STAFF = 'staff-log-1'
const ALICE = 'oAlice_log_0123456789abcdefgh'
const BOB = 'oBob_log_0123456789abcdefghij'
// The local cloud's environment id (harness.ts): the salt of every OPENID hash.
const ENV_ID = 'test-env'
const KEYS = ['fn', 'build', 'requestId', 'outTradeNo', 'caller', 'openidHash', 'outcome', 'ms', 'detail']

type LogRecord = {
  fn: string
  build: string
  requestId: string
  outTradeNo?: string
  caller: string
  openidHash?: string
  outcome: string
  ms: number
  detail?: string
}

describe('the invocation log', () => {
  let cloud: TestCloud
  let output: ReturnType<typeof captureOutput<LogRecord>>
  /** Every invocation this test made, in order, with what its line must say. */
  const made: Array<{ fn: string; expect: Partial<LogRecord> }> = []

  before(async () => {
    output = captureOutput<LogRecord>()
    cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
  })
  after(async () => {
    await cloud.stop()
    output.restore()
  })

  /** The line of the invocation `step` makes: the one new line of that function. */
  async function lineOf(fn: string, expect: Partial<LogRecord>, step: () => Promise<unknown>): Promise<LogRecord> {
    const before = output.records().filter((r) => r.fn === fn).length
    await step()
    made.push({ fn, expect })
    const fresh = await waitFor(`the log line of ${fn}`, () => {
      const mine = output.records().filter((r) => r.fn === fn)
      return mine.length > before && mine.slice(before)
    })
    assert.equal(fresh.length, 1, `one line per invocation: ${JSON.stringify(fresh)}`)
    const line = fresh[0]!
    for (const [key, value] of Object.entries(expect)) assert.deepEqual(line[key as keyof LogRecord], value, `${fn} ${key}: ${JSON.stringify(line)}`)
    return line
  }

  const system = (fn: string, event: unknown) => async () => {
    const outcome = await cloud.runner.invoke(fn, event, { source: 'timer' })
    assert.ok(outcome.ok, JSON.stringify(outcome))
    return outcome.result
  }

  test('a shopper, staff, the system and WeChat Pay: who, which order, how it ended', async () => {
    const alice = hashOpenid(ALICE, ENV_ID)
    await lineOf('listGoods', { caller: 'shopper', openidHash: alice, outcome: 'ok', outTradeNo: undefined, detail: undefined }, () =>
      call(cloud, 'listGoods', {}, ALICE),
    )

    let outTradeNo = ''
    await lineOf('createOrder', { caller: 'shopper', openidHash: alice, outcome: 'ok' }, async () => {
      outTradeNo = (await placeOrder(cloud, ALICE)).outTradeNo
    })
    assert.equal(made.length, 2)
    const created = output.records().filter((r) => r.fn === 'createOrder')
    assert.equal(created.at(-1)?.outTradeNo, outTradeNo, 'from the answer')

    await lineOf('queryOrder', { caller: 'shopper', openidHash: alice, outcome: 'ok', outTradeNo }, async () =>
      data(await call(cloud, 'queryOrder', { outTradeNo }, ALICE)),
    )

    // Another shopper's order: refused, with the operator's detail, from the event.
    const refused = await lineOf('queryOrder', { caller: 'shopper', openidHash: hashOpenid(BOB, ENV_ID), outcome: 'ORDER_NOT_FOUND', outTradeNo }, () =>
      call(cloud, 'queryOrder', { outTradeNo }, BOB),
    )
    assert.match(refused.detail ?? '', /^ORDER_NOT_FOUND: 订单不存在 — order \d+ not found for this caller$/)

    // The use case's detail speaks of the caller, never their OPENID (and the line would redact it).
    const forbidden = await lineOf('refundOrder', { caller: 'shopper', outcome: 'FORBIDDEN', outTradeNo }, () =>
      call(cloud, 'refundOrder', { outTradeNo, refundFee: 1 }, ALICE),
    )
    assert.match(forbidden.detail ?? '', /FORBIDDEN: .*the caller's OPENID is not in ADMIN_OPENIDS/)

    await lineOf('refundOrder', { caller: 'staff', openidHash: hashOpenid(STAFF, ENV_ID), outcome: 'REFUND_NOT_ALLOWED', outTradeNo }, () =>
      call(cloud, 'refundOrder', { outTradeNo, refundFee: 1 }, STAFF),
    )

    await lineOf('payNotify', { caller: 'wechatpay', openidHash: undefined, outcome: 'ok', outTradeNo }, async () => {
      assert.equal((await simPay(cloud, outTradeNo)).status, 200)
    })

    await lineOf('reconcile', { caller: 'system', openidHash: undefined, outcome: 'FORBIDDEN' }, system('reconcile', { olderThanSeconds: 0 }))
    await lineOf('createOrder', { caller: 'system', openidHash: undefined, outcome: 'UNAUTHENTICATED' }, system('createOrder', { items: [] }))
    await lineOf('listGoods', { caller: 'system', outcome: 'ok' }, system('listGoods', { $health: true }))
    await lineOf('listGoods', { caller: 'shopper', outcome: 'INVALID_ARGUMENT', openidHash: alice }, () => call(cloud, 'listGoods', { $health: true }, ALICE))
  })

  test('every line: the keys, the build, the cloud request id, a duration; a detail only on failures', () => {
    const records = output.records()
    assert.equal(records.length, made.length, 'one line per invocation, no more')
    const ids = new Set<string>()
    records.forEach((record, i) => {
      assert.equal(record.fn, made[i]!.fn)
      assert.ok(
        Object.keys(record).every((key) => KEYS.includes(key)),
        JSON.stringify(record),
      )
      assert.deepEqual(
        Object.keys(record),
        KEYS.filter((key) => key in record),
        'keys in the documented order',
      )
      assert.equal(record.build, builtHash(record.fn))
      assert.match(record.requestId, /^[0-9a-f]{32}$/, 'the local cloud context request_id')
      ids.add(record.requestId)
      assert.ok(Number.isInteger(record.ms) && record.ms >= 0 && record.ms < 10_000)
      assert.ok(['shopper', 'staff', 'system', 'wechatpay'].includes(record.caller))
      if (record.openidHash !== undefined) assert.match(record.openidHash, new RegExp(`^[0-9a-f]{${OPENID_HASH_HEX}}$`))
      assert.equal(record.detail === undefined, record.outcome === 'ok', JSON.stringify(record))
    })
    assert.equal(ids.size, records.length, 'each invocation its own request id')
  })

  test('no raw OPENID anywhere in what the functions printed', () => {
    const text = output.text()
    assert.ok(text.includes('"openidHash"'))
    for (const openid of [ALICE, BOB, STAFF]) assert.ok(!text.includes(openid), `${openid} was printed`)
  })
})
