/**
 * `npm run goods -- import` end to end: the real wx-server-sdk against a running local cloud.
 * The import creates, then reports everything unchanged; an edit updates; a refused entry writes
 * nothing; pictures become cloud:// file ids whose temp URLs serve the same bytes; the shop's
 * listGoods returns the imported goods.
 */
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { callFunction, databaseFor, ROOT, sdkFor, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { run } from './main'

let cloud: TestCloud
const dir = mkdtempSync(path.join(tmpdir(), 'goods-import-'))
const SAMPLE = path.join(ROOT, 'catalogue', 'sample.json')
const PICTURES = path.join(ROOT, 'cloud', 'local', 'seed', 'pictures')

before(async () => {
  cloud = await startTestCloud({ seed: false })
})
after(async () => {
  await cloud.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function goods(file: string, ...options: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(['import', file, '--target', 'local', '--url', cloud.url, ...options], { print: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err }
}

type Entry = { id: string; name: string; priceFen: number; pictures: string[]; onSale?: boolean }
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Entry[]

async function storedGoods(): Promise<Record<string, unknown>[]> {
  const { data } = (await databaseFor(cloud.url).collection('goods').limit(100).get()) as { data: Record<string, unknown>[] }
  return data
}

test('the sample imports: created, then unchanged; an edit is updated; dry runs write nothing', async () => {
  const dry = await goods(SAMPLE, '--dry-run')
  assert.equal(dry.code, 0, dry.err.join('\n'))
  assert.match(dry.out.at(-1)!, new RegExp(`would be created ${sample.length},`))
  assert.equal((await storedGoods()).length, 0, 'a dry run writes nothing')

  const first = await goods(SAMPLE)
  assert.equal(first.code, 0, first.err.join('\n'))
  const pictureCount = new Set(sample.flatMap((e) => e.pictures.map((p) => `${e.id}/${p}`))).size
  assert.equal(first.out.at(-1), `created ${sample.length}, updated 0, unchanged 0, refused 0; pictures uploaded ${pictureCount}`)
  assert.match(first.out[0]!, /sample\.json:2: goods-coffee created/)

  const second = await goods(SAMPLE)
  assert.equal(second.out.at(-1), `created 0, updated 0, unchanged ${sample.length}, refused 0; pictures uploaded 0`)

  // A new price and a new cover for one goods; the rest unchanged.
  const absolute = (e: Entry): Entry => ({ ...e, pictures: e.pictures.map((p) => path.resolve(path.dirname(SAMPLE), p)) })
  const edited = sample
    .map(absolute)
    .map((e) => (e.id === 'goods-mug' ? { ...e, priceFen: 4600, pictures: [path.join(PICTURES, 'tote.png'), ...e.pictures] } : e))
  const file = path.join(dir, 'edited.json')
  writeFileSync(file, JSON.stringify(edited))
  const third = await goods(file)
  assert.equal(third.out.at(-1), `created 0, updated 1, unchanged ${sample.length - 1}, refused 0; pictures uploaded 1`)
  const mug = (await storedGoods()).find((g) => g['_id'] === 'goods-mug')!
  assert.equal(mug['priceFen'], 4600)
  assert.equal((mug['pics'] as string[]).length, 4)
  assert.equal(mug['pic'], (mug['pics'] as string[])[0])
})

test('pictures are cloud:// file ids whose temp URLs serve the catalogue bytes', async () => {
  const stored = await storedGoods()
  const coffee = stored.find((g) => g['_id'] === 'goods-coffee')!
  const pics = coffee['pics'] as string[]
  assert.equal(pics.length, 2)
  for (const pic of pics) assert.match(pic, /^cloud:\/\/test-env\.test-env-local\/goods\/goods-coffee\/[0-9a-f]{16}\.png$/)
  const storage = sdkFor(cloud.url) as unknown as { getTempFileURL(o: { fileList: string[] }): Promise<{ fileList: { tempFileURL: string }[] }> }
  const { fileList } = await storage.getTempFileURL({ fileList: pics })
  const expected = sample.find((e) => e.id === 'goods-coffee')!.pictures.map((p) => readFileSync(path.resolve(path.dirname(SAMPLE), p)))
  for (const [i, file] of fileList.entries()) {
    const res = await fetch(file.tempFileURL)
    assert.equal(res.headers.get('content-type'), 'image/png')
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(expected[i]!), `picture ${i}`)
  }
})

test("the shop's listGoods returns the imported goods, on sale only", async () => {
  const { status, body } = await callFunction(cloud.url, 'listGoods', { limit: 50 })
  assert.equal(status, 200)
  const items = (body as { data?: { items?: { _id: string; priceFen: number; pics: string[] }[] } }).data?.items ?? []
  const onSale = sample.filter((e) => e.onSale !== false).map((e) => e.id)
  assert.deepEqual(items.map((g) => g._id).sort(), [...onSale].sort())
  assert.ok(items.every((g) => g.pics.every((p) => p.startsWith('cloud://'))))
  assert.equal(items.find((g) => g._id === 'goods-one-fen')!.priceFen, 1)
})

test('a refused entry writes nothing, and says which line and why', async () => {
  const before = JSON.stringify(await storedGoods())
  copyFileSync(path.join(PICTURES, 'oats.png'), path.join(dir, 'oats.png'))
  writeFileSync(path.join(dir, 'notpng.png'), 'hello')
  const file = path.join(dir, 'mixed.json')
  const entries = [
    { id: 'goods-new', name: '新品', priceFen: 990, pictures: ['oats.png'] },
    { id: 'goods-coffee', name: '改名的咖啡', priceFen: 100, pictures: ['oats.png'] },
    { id: 'goods-bad', name: '坏图', priceFen: 990, pictures: ['notpng.png'] },
  ]
  writeFileSync(file, JSON.stringify(entries, null, 2))
  const result = await goods(file)
  assert.equal(result.code, 1)
  assert.equal(result.out.length, 0)
  assert.match(result.err[0]!, /mixed\.json:18: refused entry 3 \(goods-bad\): pictures\[0\]: notpng\.png is not a PNG or JPEG picture/)
  assert.match(result.err.at(-1)!, /nothing was written/)
  assert.equal(JSON.stringify(await storedGoods()), before)
  assert.equal(existsSync(path.join(cloud.dataDir, 'storage', 'files', 'goods', 'goods-new')), false, 'no picture was uploaded')
})

test('no local cloud at --url: a clear refusal', async () => {
  const out: string[] = []
  const err: string[] = []
  const code = await run(['import', SAMPLE, '--url', 'http://127.0.0.1:9'], { print: (l) => out.push(l), error: (l) => err.push(l) })
  assert.equal(code, 1)
  assert.match(err.join('\n'), /no local cloud answers at http:\/\/127\.0\.0\.1:9/)
})
