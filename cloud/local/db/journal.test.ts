import assert from 'node:assert/strict'
import { appendFileSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../testing/tmp'
import { Engine } from './engine'
import { Journal } from './journal'

test('records appended concurrently are all replayed, in order', async () => {
  const tmp = tempDir('journal')
  const file = path.join(tmp.dir, 'j.log')
  const { journal } = await Journal.open(file)
  await Promise.all(Array.from({ length: 500 }, (_, i) => journal.append(`{"n":${i}}`)))
  await journal.close()
  const { records, truncatedBytes } = await Journal.open(file)
  assert.equal(truncatedBytes, 0)
  assert.deepEqual(
    records,
    Array.from({ length: 500 }, (_, i) => `{"n":${i}}`),
  )
  tmp.remove()
})

test('a torn last record is dropped and the file truncated; earlier records survive', async () => {
  const tmp = tempDir('journal')
  const file = path.join(tmp.dir, 'j.log')
  const first = await Journal.open(file)
  await first.journal.append('{"a":1}')
  await first.journal.append('{"a":2}')
  await first.journal.close()
  const intact = statSync(file).size
  appendFileSync(file, 'deadbeef0000 {"a":3') // a crash mid-write: no newline
  const second = await Journal.open(file)
  assert.deepEqual(second.records, ['{"a":1}', '{"a":2}'])
  assert.equal(second.truncatedBytes, 'deadbeef0000 {"a":3'.length)
  assert.equal(statSync(file).size, intact)
  await second.journal.append('{"a":4}')
  await second.journal.close()
  assert.deepEqual((await Journal.open(file)).records, ['{"a":1}', '{"a":2}', '{"a":4}'])
  tmp.remove()
})

test('a record whose checksum does not match is not replayed', async () => {
  const tmp = tempDir('journal')
  const file = path.join(tmp.dir, 'j.log')
  const { journal } = await Journal.open(file)
  await journal.append('{"a":1}')
  await journal.close()
  appendFileSync(file, '000000000000 {"a":2}\n')
  assert.deepEqual((await Journal.open(file)).records, ['{"a":1}'])
  assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{12} \{"a":1\}\n$/)
  tmp.remove()
})

test('the engine reopens with every acknowledged document, types intact', async () => {
  const tmp = tempDir('engine')
  const { engine } = await Engine.open(tmp.dir)
  await engine.createCollection('orders')
  await engine.insert('orders', [{ _id: 'o1', totalFee: 1990, createdAt: new Date(86_400_000), items: [{ q: 2 }] }]).written
  await engine.update('orders', { _id: 'o1', status: { $exists: false } }, { $set: { status: 'NOTPAY' } }, false).written
  await engine.remove('orders', { _id: 'missing' }, false).written
  await engine.close()
  const reopened = await Engine.open(tmp.dir)
  const doc = reopened.engine.getById('orders', 'o1')?.doc
  assert.deepEqual(doc, { _id: 'o1', totalFee: 1990, createdAt: new Date(86_400_000), items: [{ q: 2 }], status: 'NOTPAY' })
  assert.ok(doc?.['createdAt'] instanceof Date)
  await reopened.engine.close()
  tmp.remove()
})
