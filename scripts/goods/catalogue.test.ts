/**
 * Catalogue validation, one rule at a time: each bad entry is refused with its line and reason,
 * and one refused entry refuses the whole file. Also parseArgs of `npm run goods`.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { entryLines, MAX_PICTURE_BYTES, parseCatalogue, readCatalogue } from './catalogue'
import { parseArgs } from './main'

const dir = mkdtempSync(path.join(tmpdir(), 'catalogue-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)])
const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(64, 2)])
writeFileSync(path.join(dir, 'a.png'), PNG)
writeFileSync(path.join(dir, 'b.jpg'), JPEG)
writeFileSync(path.join(dir, 'fake.png'), Buffer.from('GIF89a not a png'))
writeFileSync(path.join(dir, 'huge.png'), Buffer.concat([PNG, Buffer.alloc(MAX_PICTURE_BYTES)]))

const good = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'goods-a',
  name: '好茶',
  description: '一盒',
  priceFen: 100,
  pictures: ['a.png'],
  ...over,
})

function check(entries: unknown[]): ReturnType<typeof parseCatalogue> {
  return parseCatalogue(JSON.stringify(entries, null, 2), dir)
}

function refusedReason(over: Record<string, unknown>): string {
  const result = check([good(over)])
  assert.equal(result.ok, false, JSON.stringify(over))
  assert.ok(!result.ok)
  assert.equal(result.refused.length, 1)
  return result.refused[0]!.reason
}

test('a good entry passes, with its defaults, and pictures named by content', () => {
  const result = check([good({ pictures: ['a.png', 'b.jpg'] }), good({ id: 'goods-b', description: undefined, onSale: false })])
  assert.ok(result.ok)
  const [a, b] = result.goods
  assert.equal(a!.onSale, true)
  assert.equal(b!.description, '')
  assert.equal(b!.onSale, false)
  assert.deepEqual(
    a!.pictures.map((p) => p.type),
    ['png', 'jpeg'],
  )
  assert.match(a!.pictures[0]!.cloudPath, /^goods\/goods-a\/[0-9a-f]{16}\.png$/)
  assert.match(a!.pictures[1]!.cloudPath, /^goods\/goods-a\/[0-9a-f]{16}\.jpg$/)
  assert.equal(b!.pictures[0]!.cloudPath.split('/')[2], a!.pictures[0]!.cloudPath.split('/')[2], 'same bytes, same name')
})

test('priceFen must be a whole number of fen above 0', () => {
  for (const priceFen of [0, -1, 12.5, '100', null, 2_147_483_648]) assert.match(refusedReason({ priceFen }), /priceFen/, String(priceFen))
})

test('name is 1-40 characters (counted as characters, not bytes)', () => {
  assert.ok(check([good({ name: '茶'.repeat(40) })]).ok)
  for (const name of ['', '茶'.repeat(41), ' 茶', '茶\n叶', 7]) assert.match(refusedReason({ name }), /name/, String(name))
})

test('description is at most 200 characters', () => {
  assert.ok(check([good({ description: '好'.repeat(200) })]).ok)
  assert.match(refusedReason({ description: '好'.repeat(201) }), /description/)
  assert.match(refusedReason({ description: 5 }), /description/)
})

test('ids match what the functions accept, and are unique', () => {
  for (const id of ['', 'a b', 'a/b', 'x'.repeat(65), 'goods-茶', 3]) assert.match(refusedReason({ id }), /id must be/, String(id))
  const result = check([good(), good({ name: '另一个' })])
  assert.ok(!result.ok)
  assert.equal(result.refused.length, 1)
  assert.equal(result.refused[0]!.entry, 2)
  assert.match(result.refused[0]!.reason, /already used on line 2/)
})

test('pictures exist, are PNG or JPEG by content, under the size limit, 1 to 9 of them', () => {
  assert.match(refusedReason({ pictures: ['missing.png'] }), /does not exist/)
  assert.match(refusedReason({ pictures: ['fake.png'] }), /not a PNG or JPEG/)
  assert.match(refusedReason({ pictures: ['huge.png'] }), /over the \d+-byte limit/)
  assert.match(refusedReason({ pictures: ['.'] }), /not a file/)
  assert.match(refusedReason({ pictures: [] }), /pictures must list/)
  assert.match(refusedReason({ pictures: Array(10).fill('a.png') }), /pictures must list/)
  assert.match(refusedReason({ pictures: 'a.png' }), /pictures must list/)
})

test('unknown fields and wrong types are refused, not ignored', () => {
  assert.match(refusedReason({ price: 100 }), /unknown field price/)
  assert.match(refusedReason({ onSale: 'yes' }), /onSale/)
  const result = check(['not an object'])
  assert.ok(!result.ok)
  assert.match(result.refused[0]!.reason, /must be an object/)
})

test('refusals name the line each entry starts on; one bad entry refuses the file', () => {
  const text = JSON.stringify([good(), good({ id: 'goods-b', priceFen: 0 }), good({ id: 'goods-c' })], null, 2)
  const result = parseCatalogue(text, dir)
  assert.ok(!result.ok)
  assert.deepEqual(
    result.refused.map((r) => [r.line, r.entry, r.id]),
    [[text.split('\n').findIndex((l) => l.includes('"goods-b"')), 2, 'goods-b']],
  )
  assert.deepEqual(entryLines('[\n {"a": "x,{"},\n\n {"b": [1, {}]} ]'), [2, 4])
})

test('a file that is not a JSON array is refused whole', () => {
  const file = path.join(dir, 'bad.json')
  writeFileSync(file, '{"id": "x"}')
  const notArray = readCatalogue(file)
  assert.ok(!notArray.ok && /JSON array/.test(notArray.fatal ?? ''))
  writeFileSync(file, '[{')
  const notJson = readCatalogue(file)
  assert.ok(!notJson.ok && /not valid JSON/.test(notJson.fatal ?? ''))
  const missing = readCatalogue(path.join(dir, 'none.json'))
  assert.ok(!missing.ok && /cannot read/.test(missing.fatal ?? ''))
})

test('the sample catalogue that ships with the repository is valid', () => {
  const result = readCatalogue(path.join(__dirname, '..', '..', 'catalogue', 'sample.json'))
  assert.ok(result.ok, JSON.stringify(!result.ok && result))
  assert.ok(result.goods.length >= 5)
})

test('parseArgs: import a file, local by default; a real environment id; bad lines', () => {
  const ok = parseArgs(['import', 'c.json'])
  assert.ok(ok.ok)
  assert.deepEqual(ok.args, { file: 'c.json', target: 'local', url: 'http://127.0.0.1:8787', dryRun: false })
  const real = parseArgs(['import', 'c.json', '--target', 'prod-1a2b3c', '--dry-run'])
  assert.ok(real.ok)
  assert.deepEqual(real.args.target, { envId: 'prod-1a2b3c' })
  assert.equal(real.args.dryRun, true)
  const url = parseArgs(['import', 'c.json', '--target=local', '--url=http://127.0.0.1:9000'])
  assert.ok(url.ok && url.args.url === 'http://127.0.0.1:9000')
  for (const argv of [
    [],
    ['export', 'c.json'],
    ['import'],
    ['import', 'a.json', 'b.json'],
    ['import', 'c.json', '--target'],
    ['import', 'c.json', '--target', 'bad env'],
    ['import', 'c.json', '--url', 'http://example.com'],
    ['import', 'c.json', '--target', 'prod-1', '--url', 'http://127.0.0.1:8787'],
    ['import', 'c.json', '--force'],
  ])
    assert.equal(parseArgs(argv).ok, false, argv.join(' '))
})
