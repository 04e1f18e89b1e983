// The database emulator, driven through the real, unmodified wx-server-sdk.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { databaseFor, startTestCloud, type LooseDb, type TestCloud } from '../testing/harness'

let cloud: TestCloud
let db: LooseDb

before(async () => {
  cloud = await startTestCloud()
  db = databaseFor(cloud.url)
  await db.createCollection('things')
})
after(() => cloud.stop())

type Thing = Record<string, unknown> & { _id: string }
const things = () => db.collection('things')

describe('documents', () => {
  test('add then doc().get() returns what was written, with Dates and server dates', async () => {
    const t0 = Date.now()
    const { _id } = await things().add({ data: { name: '咖啡', priceFen: 6800, at: new Date(0), nested: { a: [1, 2] }, created: db.serverDate() } })
    assert.match(_id, /^[0-9a-f]{32}$/)
    const { data } = await things().doc(_id).get()
    const doc = data as Thing
    assert.equal(doc['name'], '咖啡')
    assert.equal(doc['priceFen'], 6800)
    assert.deepEqual(doc['at'], new Date(0))
    assert.deepEqual(doc['nested'], { a: [1, 2] })
    assert.ok(doc['created'] instanceof Date)
    assert.ok(Math.abs((doc['created'] as Date).getTime() - t0) < 5000)
  })

  test('a duplicate _id is refused and the original kept', async () => {
    await things().add({ data: { _id: 'dup', v: 1 } })
    await assert.rejects(things().add({ data: { _id: 'dup', v: 2 } }), /duplicate/)
    assert.equal(((await things().doc('dup').get()).data as Thing)['v'], 1)
  })

  test('doc().get() of a missing document fails like the cloud', async () => {
    await assert.rejects(things().doc('nope').get(), /does not exist/)
  })

  test('doc().set() creates, then replaces the whole document', async () => {
    const created = await things()
      .doc('s1')
      .set({ data: { a: 1, b: 2 } })
    assert.equal((created as { stats: { created: number } }).stats.created, 1)
    const replaced = await things()
      .doc('s1')
      .set({ data: { c: 3 } })
    assert.equal((replaced as { stats: { updated: number } }).stats.updated, 1)
    assert.deepEqual((await things().doc('s1').get()).data, { _id: 's1', c: 3 })
  })

  test('doc().update() and doc().remove()', async () => {
    await things().add({ data: { _id: 'u1', n: 1 } })
    const updated = await things()
      .doc('u1')
      .update({ data: { n: 2 } })
    assert.equal(updated.stats.updated, 1)
    const removed = await things().doc('u1').remove()
    assert.equal(removed.stats.removed, 1)
    await assert.rejects(things().doc('u1').get(), /does not exist/)
  })

  test('a collection that does not exist is an error, as in production', async () => {
    await assert.rejects(db.collection('missing').get(), /not exist/)
    await assert.rejects(db.collection('missing').add({ data: { a: 1 } }), /not exist/)
  })

  test('createCollection refuses an existing name', async () => {
    await assert.rejects(db.createCollection('things'), /already exists/)
  })
})

describe('queries', () => {
  before(async () => {
    await db.createCollection('q')
    const rows = Array.from({ length: 150 }, (_, i) => ({
      _id: `q${String(i).padStart(3, '0')}`,
      i,
      group: i % 3,
      tag: i % 2 === 0 ? 'even' : 'odd',
      name: `item-${i}`,
    }))
    for (const row of rows) await db.collection('q').add({ data: row })
  })

  test('where with command operators, orderBy on two keys, skip, limit, field', async () => {
    const _ = db.command
    const { data } = await db
      .collection('q')
      .where({ i: _.gte(10).and(_.lt(40)), group: _.in([0, 1]), tag: _.neq('odd') })
      .orderBy('group', 'desc')
      .orderBy('i', 'asc')
      .skip(1)
      .limit(3)
      .field({ i: true, group: true })
      .get()
    // even i in [10, 40) with group 0|1, sorted by group desc then i asc: group 1 → 10, 16, 22, 28, 34
    assert.deepEqual(data, [
      { _id: 'q016', i: 16, group: 1 },
      { _id: 'q022', i: 22, group: 1 },
      { _id: 'q028', i: 28, group: 1 },
    ])
  })

  test('or, exists, nin and regular expressions', async () => {
    const _ = db.command
    const { data } = await db
      .collection('q')
      .where(_.or([{ i: _.lt(2) }, { name: db.RegExp({ regexp: '^item-14[89]$' }) }]).and({ i: _.nin([0]), missing: _.exists(false) }))
      .orderBy('i', 'asc')
      .get()
    assert.deepEqual(
      (data as Thing[]).map((d) => d['i']),
      [1, 148, 149],
    )
  })

  test('count, the default limit of 100 and the cap of 1000', async () => {
    assert.equal((await db.collection('q').where({ tag: 'even' }).count()).total, 75)
    assert.equal((await db.collection('q').get()).data.length, 100)
    assert.equal((await db.collection('q').limit(1000).get()).data.length, 150)
  })

  test('aggregate', async () => {
    const { list } = await db
      .collection('q')
      .aggregate()
      .match({ group: 0 })
      .group({ _id: '$tag', n: db.command.aggregate.sum(1) })
      .sort({ _id: 1 })
      .end()
    assert.deepEqual(list, [
      { _id: 'even', n: 25 },
      { _id: 'odd', n: 25 },
    ])
  })
})

describe('updates', () => {
  test('a conditional update reports updated 1, then 0 for the same condition', async () => {
    await things().add({ data: { _id: 'order-1', status: 'NOTPAY' } })
    const first = await things()
      .where({ _id: 'order-1', status: 'NOTPAY' })
      .update({ data: { status: 'SUCCESS' } })
    const second = await things()
      .where({ _id: 'order-1', status: 'NOTPAY' })
      .update({ data: { status: 'SUCCESS' } })
    assert.equal(first.stats.updated, 1)
    assert.equal(second.stats.updated, 0)
  })

  test('db.command update operators', async () => {
    const _ = db.command
    await things().add({ data: { _id: 'ops', n: 2, m: 3, list: [2, 3], set: ['a'], gone: true, nested: { x: 1 } } })
    await things()
      .doc('ops')
      .update({
        data: {
          n: _.inc(5),
          m: _.mul(10),
          list: _.push({ each: [1], position: 0 }),
          set: _.addToSet('b'),
          gone: _.remove(),
          'nested.y': 2,
          stamped: db.serverDate(),
        },
      })
    const doc = (await things().doc('ops').get()).data as Thing
    assert.equal(doc['n'], 7)
    assert.equal(doc['m'], 30)
    assert.deepEqual(doc['list'], [1, 2, 3])
    assert.deepEqual(doc['set'], ['a', 'b'])
    assert.equal('gone' in doc, false)
    assert.deepEqual(doc['nested'], { x: 1, y: 2 })
    assert.ok(doc['stamped'] instanceof Date)
    await things()
      .doc('ops')
      .update({ data: { list: _.pull(2) } })
    assert.deepEqual(((await things().doc('ops').get()).data as Thing)['list'], [1, 3])
  })

  test('where().remove() removes every match', async () => {
    for (const i of [1, 2, 3]) await things().add({ data: { kind: 'temp', i } })
    const { stats } = await things().where({ kind: 'temp' }).remove()
    assert.equal(stats.removed, 3)
    assert.equal((await things().where({ kind: 'temp' }).count()).total, 0)
  })

  test('200 concurrent conditional updates of one order: exactly one wins', async () => {
    await things().add({ data: { _id: 'race', status: 'NOTPAY' } })
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        things()
          .where({ _id: 'race', status: 'NOTPAY' })
          .update({ data: { status: 'SUCCESS', winner: i } }),
      ),
    )
    const winners = results.filter((r: { stats: { updated: number } }) => r.stats.updated === 1)
    assert.equal(winners.length, 1)
    assert.equal(results.filter((r: { stats: { updated: number } }) => r.stats.updated === 0).length, 199)
  })
})

describe('transactions', () => {
  test('runTransaction commits all of its writes together', async () => {
    await things().add({ data: { _id: 'acct-a', balance: 100 } })
    await things().add({ data: { _id: 'acct-b', balance: 0 } })
    const result = await db.runTransaction(async (tx: LooseDb) => {
      const a = (await tx.collection('things').doc('acct-a').get()).data as Thing
      await tx
        .collection('things')
        .doc('acct-a')
        .update({ data: { balance: (a['balance'] as number) - 30 } })
      await tx
        .collection('things')
        .doc('acct-b')
        .update({ data: { balance: db.command.inc(30) } })
      await tx.collection('things').add({ data: { _id: 'transfer-1', amount: 30 } })
      return 'done'
    })
    assert.equal(result, 'done')
    assert.equal(((await things().doc('acct-a').get()).data as Thing)['balance'], 70)
    assert.equal(((await things().doc('acct-b').get()).data as Thing)['balance'], 30)
    assert.equal(((await things().doc('transfer-1').get()).data as Thing)['amount'], 30)
  })

  test('writes inside a transaction are invisible outside until commit, and gone after rollback', async () => {
    await things().add({ data: { _id: 'iso', v: 1 } })
    await assert.rejects(
      db.runTransaction(async (tx: LooseDb) => {
        await tx
          .collection('things')
          .doc('iso')
          .update({ data: { v: 2 } })
        assert.equal(((await things().doc('iso').get()).data as Thing)['v'], 1)
        assert.equal(((await tx.collection('things').doc('iso').get()).data as Thing)['v'], 2)
        await tx.rollback('changed my mind')
      }),
      (reason: unknown) => reason === 'changed my mind',
    )
    assert.equal(((await things().doc('iso').get()).data as Thing)['v'], 1)
  })

  test('a write conflict is reported and the SDK retries the transaction', async () => {
    await things().add({ data: { _id: 'counter', n: 0 } })
    let attempts = 0
    let releaseSecond!: () => void
    const firstDone = new Promise<void>((resolve) => (releaseSecond = resolve))
    let readsDone = 0
    let bothRead!: () => void
    const bothReadP = new Promise<void>((resolve) => (bothRead = resolve))
    const increment = (who: 'first' | 'second') =>
      db.runTransaction(async (tx: LooseDb) => {
        attempts++
        const { n } = (await tx.collection('things').doc('counter').get()).data as { n: number }
        if (++readsDone === 2) bothRead()
        if (readsDone <= 2) await bothReadP
        if (who === 'second' && readsDone <= 2) await firstDone
        await tx
          .collection('things')
          .doc('counter')
          .update({ data: { n: n + 1 } })
      })
    const first = increment('first').then(() => releaseSecond())
    const second = increment('second')
    await Promise.all([first, second])
    assert.equal(((await things().doc('counter').get()).data as { n: number }).n, 2)
    assert.equal(attempts, 3) // the second transaction ran twice: it lost the first race
  })
})
