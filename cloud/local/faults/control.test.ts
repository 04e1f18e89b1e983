// The fault control itself: POST adds, GET lists with counts, DELETE clears, bad input is a 400
// naming the field; the same control in-process as `cloud.faults`.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../testing/harness'
import { FaultController, FaultInputError, type AnswerEnv } from '.'
import { clearFaults, listFaults, postFaults } from './testkit'

describe('/sim/faults', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud()
  })
  afterEach(() => clearFaults(cloud.url))
  after(() => cloud.stop())

  test('lists nothing until faults are added; POST adds with defaults; DELETE clears', async () => {
    assert.deepEqual(await listFaults(cloud.url), [])
    const { status, body } = await postFaults(cloud.url, {
      gateway: [
        { api: 'refund', fault: 'lost_answer' },
        { api: 'unifiedOrder', fault: 'timeout', times: 3 },
      ],
      callbacks: [{ fault: 'delay' }],
      db: [{ fault: 'crash', action: 'database.modifyDocument', collection: 'orders' }, { fault: 'error' }],
    })
    assert.equal(status, 200)
    const added = body['added'] as Array<Record<string, unknown>>
    assert.equal(added.length, 5)
    assert.deepEqual(added[0], {
      id: added[0]?.['id'],
      category: 'gateway',
      api: 'refund',
      fault: 'lost_answer',
      times: 1,
      mode: '*',
      remaining: 1,
      fired: 0,
      active: true,
    })
    assert.equal(added[1]?.['holdMs'], 20000)
    assert.equal(added[1]?.['remaining'], 3)
    assert.deepEqual([added[2]?.['kind'], added[2]?.['delayMs']], ['*', 200])
    assert.deepEqual([added[3]?.['afterWrites'], added[3]?.['writesLeft']], [1, 1])
    assert.deepEqual([added[4]?.['action'], added[4]?.['collection']], ['*', '*'])
    // POST again adds to what is there.
    await postFaults(cloud.url, { callbacks: [{ fault: 'drop', kind: 'refund' }] })
    const listed = await listFaults(cloud.url)
    assert.equal(listed.length, 6)
    assert.equal(new Set(listed.map((f) => f.id)).size, 6)
    const cleared = await fetch(`${cloud.url}/sim/faults`, { method: 'DELETE' })
    assert.deepEqual(await cleared.json(), { cleared: 6 })
    assert.deepEqual(await listFaults(cloud.url), [])
  })

  const bad: Array<[string, unknown, RegExp]> = [
    ['a body that is not an object', [1], /body/],
    ['an unknown top-level key', { gatway: [] }, /body\.gatway/],
    ['gateway not an array', { gateway: { api: 'refund' } }, /^gateway must be an array/],
    ['an unknown api', { gateway: [{ api: 'pay', fault: 'reset' }] }, /gateway\[0\]\.api/],
    ['an unknown gateway fault', { gateway: [{ api: 'refund', fault: 'explode' }] }, /gateway\[0\]\.fault/],
    ['a bad mode', { gateway: [{ api: 'refund', fault: 'reset', mode: 'v3' }] }, /gateway\[0\]\.mode/],
    ['times zero', { gateway: [{ api: 'refund', fault: 'reset', times: 0 }] }, /gateway\[0\]\.times/],
    ['times fractional', { callbacks: [{ fault: 'drop', times: 1.5 }] }, /callbacks\[0\]\.times/],
    ['holdMs on another fault', { gateway: [{ api: 'refund', fault: 'reset', holdMs: 10 }] }, /gateway\[0\]\.holdMs/],
    ['negative holdMs', { gateway: [{ api: 'refund', fault: 'timeout', holdMs: -1 }] }, /gateway\[0\]\.holdMs/],
    ['orderpaid on unifiedOrder', { gateway: [{ api: 'unifiedOrder', fault: 'orderpaid' }] }, /gateway\[0\]\.api/],
    ['an unknown field', { gateway: [{ api: 'refund', fault: 'reset', hold_ms: 5 }] }, /gateway\[0\]\.hold_ms/],
    ['an unknown callback fault', { callbacks: [{ fault: 'lose' }] }, /callbacks\[0\]\.fault/],
    ['a bad callback kind', { callbacks: [{ fault: 'drop', kind: 'close' }] }, /callbacks\[0\]\.kind/],
    ['delayMs on drop', { callbacks: [{ fault: 'drop', delayMs: 5 }] }, /callbacks\[0\]\.delayMs/],
    ['an unknown db action', { db: [{ fault: 'error', action: 'database.dropDatabase' }] }, /db\[0\]\.action/],
    ['a crash on a read', { db: [{ fault: 'crash', action: 'database.getDocument' }] }, /db\[0\]\.action/],
    ['a bad collection', { db: [{ fault: 'error', collection: 'a b' }] }, /db\[0\]\.collection/],
    ['afterWrites on error', { db: [{ fault: 'error', afterWrites: 2 }] }, /db\[0\]\.afterWrites/],
    ['afterWrites zero', { db: [{ fault: 'crash', afterWrites: 0 }] }, /db\[0\]\.afterWrites/],
    ['times on a crash', { db: [{ fault: 'crash', times: 3 }] }, /db\[0\]\.times/],
    ['the second fault bad', { db: [{ fault: 'error' }, { fault: 'oops' }] }, /db\[1\]\.fault/],
  ]
  for (const [name, body, field] of bad) {
    test(`400 INVALID_ARGUMENT for ${name}, and nothing added`, async () => {
      const { status, body: answer } = await postFaults(cloud.url, body)
      assert.equal(status, 400)
      const error = answer['error'] as { code: string; message: string }
      assert.equal(error.code, 'INVALID_ARGUMENT')
      assert.match(error.message, field)
      assert.deepEqual(await listFaults(cloud.url), [])
    })
  }

  test('400 for a body that is not JSON; 405 for another method', async () => {
    const res = await fetch(`${cloud.url}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{gateway' })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'INVALID_ARGUMENT')
    assert.equal((await fetch(`${cloud.url}/sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' } })).status, 405)
  })

  test('the in-process control is the same table', async () => {
    const added = cloud.faults.add({ callbacks: [{ fault: 'drop', times: 2 }] })
    assert.equal(added[0]?.remaining, 2)
    assert.deepEqual(
      (await listFaults(cloud.url)).map((f) => f.id),
      [added[0]?.id],
    )
    assert.throws(
      () => cloud.faults.add({ callbacks: [{ fault: 'drop', times: -1 }] }),
      (e: unknown) => e instanceof FaultInputError && /callbacks\[0\]\.times/.test(e.message),
    )
    cloud.faults.clear()
    assert.deepEqual(await listFaults(cloud.url), [])
  })
})

describe('FaultController matching', () => {
  const answers: AnswerEnv = { appid: 'wx', provider: { appid: 'wxp', mchId: '1' }, merchantKey: () => undefined }

  test('first added matching fault wins; each hit spends one; spent faults stay listed', () => {
    const faults = new FaultController(answers)
    assert.equal(faults.armed, false)
    faults.add({
      gateway: [
        { api: 'refund', fault: 'reset', mode: 'merchant' },
        { api: '*', fault: 'http500', times: 2 },
      ],
    })
    assert.equal(faults.takeGateway('refund', 'cloudpay')?.fault, 'http500')
    assert.equal(faults.takeGateway('refund', 'merchant')?.fault, 'reset')
    assert.equal(faults.takeGateway('refund', 'merchant')?.fault, 'http500')
    assert.equal(faults.takeGateway('refund', 'merchant'), undefined)
    assert.equal(faults.armed, false)
    assert.deepEqual(
      faults.list().map((f) => [f.fired, f.remaining, f.active]),
      [
        [1, 0, false],
        [2, 0, false],
      ],
    )
  })

  test('orderpaid on any API hits closeOrder only; unknown API names are never hit', () => {
    const faults = new FaultController(answers)
    faults.add({
      gateway: [
        { api: '*', fault: 'orderpaid' },
        { api: '*', fault: 'reset', times: 5 },
      ],
    })
    assert.equal(faults.takeGateway('wxPayApi', 'cloudpay'), undefined)
    assert.equal(faults.takeGateway('unifiedOrder', 'cloudpay')?.fault, 'reset')
    assert.equal(faults.takeGateway('closeOrder', 'cloudpay')?.fault, 'orderpaid')
  })

  test('db errors match action and collection; a crash counts only matching durable writes', () => {
    const faults = new FaultController(answers)
    let crashed = 0
    faults.setCrashHandler(() => void crashed++)
    faults.add({
      db: [
        { fault: 'error', action: 'database.getDocument', collection: 'goods' },
        { fault: 'crash', collection: 'orders', afterWrites: 2 },
      ],
    })
    assert.equal(faults.failRequest('database.getDocument', ['orders']), false)
    assert.equal(faults.failRequest('database.insertDocument', ['goods']), false)
    assert.equal(faults.failRequest('database.getDocument', ['goods']), true)
    assert.equal(faults.failRequest('database.getDocument', ['goods']), false)
    faults.afterDurable('database.getDocument', ['orders'])
    faults.afterDurable('database.insertDocument', ['goods'])
    faults.afterDurable('database.insertDocument', ['orders'])
    assert.equal(crashed, 0)
    assert.throws(() => faults.afterDurable('database.commitTransaction', ['payment_events', 'orders']), /injected crash/)
    assert.equal(crashed, 1)
    faults.afterDurable('database.insertDocument', ['orders'])
    assert.equal(crashed, 1)
  })
})
