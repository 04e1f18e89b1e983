// Every acknowledged write survives `kill -9` of the local cloud.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { databaseFor, spawnLocalCloud, tempDir } from './testing/harness'

test('writes acknowledged before SIGKILL are all there after a restart', async () => {
  const data = tempDir('durability')
  const env = { CLOUD_DATA_DIR: data.dir, FUNCTIONS_DIR: data.dir }
  const first = await spawnLocalCloud(env)
  const db = databaseFor(first.url)

  const acknowledged: string[] = []
  let stop = false
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const id = `w${w}-${i}`
      try {
        await db.collection('orders').add({ data: { _id: id, totalFee: i + 1, status: 'NOTPAY' } })
        acknowledged.push(id)
      } catch {
        return // the process is gone: this write was never acknowledged
      }
    }
  }
  const writers = Array.from({ length: 20 }, (_, w) => writer(w))
  while (acknowledged.length < 1000) await new Promise((resolve) => setTimeout(resolve, 5))
  first.child.kill('SIGKILL')
  await first.exited
  stop = true
  await Promise.all(writers)
  const count = acknowledged.length
  assert.ok(count >= 1000)

  const second = await spawnLocalCloud(env)
  try {
    const reopened = databaseFor(second.url)
    const { total } = await reopened.collection('orders').count()
    assert.ok(total >= count, `${total} documents after restart, ${count} were acknowledged`)
    const present = new Set<string>()
    for (let skip = 0; skip < total; skip += 1000) {
      const { data: page } = (await reopened.collection('orders').skip(skip).limit(1000).field({ _id: true }).get()) as { data: Array<{ _id: string }> }
      for (const doc of page) present.add(doc._id)
    }
    const missing = acknowledged.filter((id) => !present.has(id))
    assert.deepEqual(missing, [])
    // The restarted cloud keeps accepting writes on the recovered journal.
    await reopened.collection('orders').add({ data: { _id: 'after-restart', totalFee: 1 } })
    console.log(`durability: ${count} acknowledged writes before SIGKILL, ${missing.length} missing after restart (${total} documents present)`)
  } finally {
    second.child.kill('SIGTERM')
    await second.exited
    data.remove()
  }
})
