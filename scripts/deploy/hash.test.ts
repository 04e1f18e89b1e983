import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { folderHash, readBuildInfo, writeBuildInfo } from './hash'

const dir = mkdtempSync(path.join(tmpdir(), 'hash-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const write = (rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
  writeFileSync(path.join(dir, rel), text)
}

test('the documented framing: sorted paths, each path NUL length NUL bytes', async () => {
  write('index.js', 'main')
  write('a/b.txt', 'bb')
  const expected = createHash('sha256').update('a/b.txt\x002\x00bb').update('index.js\x004\x00main').digest('hex')
  assert.equal(await folderHash(dir), expected)
})

test('build.json is left out; an edit, a rename or a moved byte changes the hash', async () => {
  const base = await folderHash(dir)
  assert.equal(await writeBuildInfo(dir), base)
  assert.equal(await readBuildInfo(dir), base)
  assert.equal(await folderHash(dir), base, 'writing build.json does not change it')
  write('index.js', 'main!')
  const edited = await folderHash(dir)
  assert.notEqual(edited, base)
  renameSync(path.join(dir, 'a/b.txt'), path.join(dir, 'a/c.txt'))
  assert.notEqual(await folderHash(dir), edited)
  write('a/c.txt', 'b')
  write('index.js', 'bmain!')
  assert.notEqual(await folderHash(dir), edited, 'the same bytes split differently')
})

test('a missing or malformed build.json reads as null', async () => {
  write('build.json', '{ "hash": "not hex" }')
  assert.equal(await readBuildInfo(dir), null)
  rmSync(path.join(dir, 'build.json'))
  assert.equal(await readBuildInfo(dir), null)
})
