import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { gunzipSync, gzipSync } from 'node:zlib'
import { packEntries, packFolder, safePath, unpackArchive } from './archive'

const dir = mkdtempSync(path.join(tmpdir(), 'archive-'))
after(() => rmSync(dir, { recursive: true, force: true }))

test('a folder round-trips, byte for byte; the same folder packs to the same bytes', async () => {
  mkdirSync(path.join(dir, 'lib', 'deep'), { recursive: true })
  const long = `${'d'.repeat(90)}/${'e'.repeat(90)}.js`
  mkdirSync(path.join(dir, 'd'.repeat(90)))
  const files: Record<string, Buffer> = {
    'index.js': Buffer.from('exports.main = async () => 1\n'),
    'build.json': Buffer.from('{ "hash": "x" }\n'),
    'lib/deep/data.bin': Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 256)),
    'empty.txt': Buffer.alloc(0),
    [long]: Buffer.from('long path'),
  }
  for (const [rel, bytes] of Object.entries(files)) writeFileSync(path.join(dir, ...rel.split('/')), bytes)
  const packed = await packFolder(dir)
  assert.deepEqual(await packFolder(dir), packed)
  const unpacked = unpackArchive(packed)
  assert.deepEqual([...unpacked.keys()].sort(), Object.keys(files).sort())
  for (const [rel, bytes] of Object.entries(files)) assert.ok(unpacked.get(rel)!.equals(bytes), rel)
})

test('a folder holding a symlink is not packed', async () => {
  const linked = mkdtempSync(path.join(tmpdir(), 'archive-link-'))
  writeFileSync(path.join(linked, 'index.js'), '')
  symlinkSync('/etc/passwd', path.join(linked, 'passwd'))
  await assert.rejects(packFolder(linked), /passwd is not a regular file/)
  rmSync(linked, { recursive: true, force: true })
})

test('the reader refuses what could escape the folder or is not a plain file', () => {
  const refuse = (entries: Parameters<typeof packEntries>[0], pattern: RegExp): void => assert.throws(() => unpackArchive(packEntries(entries)), pattern)
  const bytes = Buffer.from('x')
  refuse([{ path: '../outside.js', bytes }], /not a safe relative path/)
  refuse([{ path: '/etc/cron.d/x', bytes }], /not a safe relative path/)
  refuse([{ path: 'a/./b', bytes }], /not a safe relative path/)
  refuse([{ path: 'link', bytes: Buffer.alloc(0), type: '2' }], /only regular files/)
  refuse([{ path: 'hard', bytes: Buffer.alloc(0), type: '1' }], /only regular files/)
  refuse([{ path: 'pax', bytes, type: 'x' }], /only regular files/)
  refuse(
    [
      { path: 'a.js', bytes },
      { path: 'a.js', bytes },
    ],
    /appears twice/,
  )
  assert.throws(
    () => unpackArchive(packEntries([{ path: 'big', bytes: Buffer.alloc(4096) }]), { maxFiles: 10, maxBytes: 1000 }),
    /more than 10 files or 1000 bytes/,
  )
  assert.throws(() => unpackArchive(Buffer.from('not gzip')), /not a gzip archive/)
  assert.throws(() => unpackArchive(gzipSync(Buffer.alloc(700, 1))), /checksum|end marker/)
  const truncated = gzipSync(Buffer.concat([gunzipSync(packEntries([{ path: 'a', bytes: Buffer.alloc(2000) }])).subarray(0, 1024)]))
  assert.throws(() => unpackArchive(truncated), /cut short|end marker/)
  assert.deepEqual(
    [
      ...unpackArchive(
        packEntries([
          { path: 'dir', bytes: Buffer.alloc(0), type: '5' },
          { path: 'dir/a', bytes },
        ]),
      ).keys(),
    ],
    ['dir/a'],
  )
})

test('safePath', () => {
  for (const ok of ['index.js', 'a/b/c.json', '.hidden']) assert.equal(safePath(ok), true, ok)
  for (const bad of ['', '/a', 'a//b', 'a/../b', '..', 'a\\b', 'a\u0000b', 'a/']) assert.equal(safePath(bad), false, JSON.stringify(bad))
})
