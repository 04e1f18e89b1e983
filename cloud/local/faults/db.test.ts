// Database faults through the real SDK: an injected request failure, and a crash of a local
// cloud running as its own process right after a write became durable.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { databaseFor, spawnLocalCloud, startTestCloud, tempDir, type LooseDb, type TestCloud } from '../testing/harness'
import { clearFaults, listFaults, postFaults, rejection } from './testkit'

describe('db error', () => {
  let cloud: TestCloud
  let db: LooseDb
  before(async () => {
    cloud = await startTestCloud()
    db = databaseFor(cloud.url)
  })
  afterEach(() => clearFaults(cloud.url))
  after(() => cloud.stop())

  test('fails one matching request without running it; the next one succeeds', async () => {
    await postFaults(cloud.url, { db: [{ fault: 'error', action: 'database.insertDocument', collection: 'orders' }] })
    // Another collection and another action are not hit.
    await db.collection('payment_events').add({ data: { _id: 'dbe-other' } })
    await db.collection('orders').where({ _id: 'dbe-1' }).get()
    const error = await rejection(db.collection('orders').add({ data: { _id: 'dbe-1', totalFee: 1 } }))
    assert.match(String(error.message), /DATABASE_REQUEST_FAILED|injected fault/)
    assert.equal(cloud.engine.getById('orders', 'dbe-1'), undefined, 'nothing was written')
    await db.collection('orders').add({ data: { _id: 'dbe-1', totalFee: 1 } })
    assert.equal(cloud.engine.getById('orders', 'dbe-1')?.doc['totalFee'], 1)
    assert.deepEqual(
      (await listFaults(cloud.url)).map((f) => [f.fired, f.remaining, f.active]),
      [[1, 0, false]],
    )
  })

  test('without a filter hits any request, `times` of them', async () => {
    await postFaults(cloud.url, { db: [{ fault: 'error', times: 2 }] })
    await rejection(db.collection('goods').get())
    await rejection(
      db
        .collection('orders')
        .doc('nope')
        .update({ data: { a: 1 } }),
    )
    const { data } = await db.collection('goods').get()
    assert.ok(data.length > 0)
  })

  test('a transaction commit matches the collections the transaction wrote', async () => {
    await postFaults(cloud.url, { db: [{ fault: 'error', action: 'database.commitTransaction', collection: 'orders' }] })
    const write = (collection: string, id: string) =>
      db.runTransaction(async (tx: LooseDb) => {
        await tx
          .collection(collection)
          .doc(id)
          .set({ data: { n: 1 } })
      })
    await write('payment_events', 'dbe-tx-other')
    assert.ok(cloud.engine.getById('payment_events', 'dbe-tx-other'))
    assert.equal((await listFaults(cloud.url))[0]?.fired, 0)
    const error = await rejection(write('orders', 'dbe-tx-1'))
    assert.match(String(error.message), /DATABASE_REQUEST_FAILED|injected fault/)
    assert.equal((await listFaults(cloud.url))[0]?.fired, 1)
    assert.equal(cloud.engine.getById('orders', 'dbe-tx-1'), undefined)
    await write('orders', 'dbe-tx-1')
    assert.ok(cloud.engine.getById('orders', 'dbe-tx-1'))
  })

  test('in-process crash (substituted handler): the write is durable, the caller gets no answer', async () => {
    let crashes = 0
    cloud.faults.setCrashHandler(() => void crashes++)
    try {
      cloud.faults.add({ db: [{ fault: 'crash', collection: 'orders', afterWrites: 2 }] })
      await db.collection('orders').add({ data: { _id: 'dbc-1' } })
      await db
        .collection('goods')
        .where({ _id: 'x' })
        .update({ data: { a: 1 } })
      assert.equal(cloud.faults.list()[0]?.['writesLeft'], 1)
      await rejection(
        db
          .collection('orders')
          .doc('dbc-1')
          .update({ data: { step: 2 } }),
      )
      assert.equal(crashes, 1)
      assert.equal(cloud.engine.getById('orders', 'dbc-1')?.doc['step'], 2)
      await db
        .collection('orders')
        .doc('dbc-1')
        .update({ data: { step: 3 } })
      assert.equal(crashes, 1, 'a crash happens once')
    } finally {
      cloud.faults.setCrashHandler(undefined)
    }
  })
})

test('db crash: SIGKILL after the write is durable; a restart on the same data has it', async () => {
  const data = tempDir('fault-crash')
  const env = { CLOUD_DATA_DIR: data.dir, FUNCTIONS_DIR: data.dir }
  const first = await spawnLocalCloud(env)
  let second: Awaited<ReturnType<typeof spawnLocalCloud>> | undefined
  try {
    const added = await postFaults(first.url, { db: [{ fault: 'crash', action: 'database.insertDocument', collection: 'orders', afterWrites: 2 }] })
    assert.equal(added.status, 200)
    const db = databaseFor(first.url)
    await db.collection('payment_events').add({ data: { _id: 'crash-unrelated' } })
    await db.collection('orders').add({ data: { _id: 'crash-1', status: 'NOTPAY' } })
    assert.deepEqual(
      (await listFaults(first.url)).map((f) => [f['writesLeft'], f.active]),
      [[1, true]],
    )
    await rejection(db.collection('orders').add({ data: { _id: 'crash-2', status: 'NOTPAY' } }))
    await first.exited
    assert.equal(first.child.signalCode, 'SIGKILL')
    assert.match(first.output(), /injected fault: crash after database\.insertDocument on orders/)

    second = await spawnLocalCloud(env)
    const reopened = databaseFor(second.url)
    const { data: orders } = await reopened.collection('orders').get()
    assert.deepEqual(orders.map((o: { _id: string }) => o._id).sort(), ['crash-1', 'crash-2'])
    const { data: events } = await reopened.collection('payment_events').where({ _id: 'crash-unrelated' }).get()
    assert.equal(events.length, 1)
    assert.deepEqual(await listFaults(second.url), [], 'faults are not persisted')
  } finally {
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL')
    if (second) {
      second.child.kill('SIGTERM')
      await second.exited
    }
    data.remove()
  }
})
