// The H5 build's picture upload (POST /storage/upload?path=goods/<name>) on the local cloud: a
// picture in, its file id and URL out, and the same file through the real wx-server-sdk; wrong
// types, disguised bytes, oversized files, other folders, replacing a file and foreign pages refused.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { sdkFor, startTestCloud, type TestCloud } from '../testing/harness'
import { MAX_PICTURE_BYTES } from './storage'

type Storage = { getTempFileURL(options: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number; tempFileURL: string }[] }> }

let cloud: TestCloud
before(async () => {
  cloud = await startTestCloud({ seed: false })
})
after(async () => cloud.stop())

const PNG = Buffer.from('89504e470d0a1a0a', 'hex')
const png = (size = 2048): Buffer => Buffer.concat([PNG, randomBytes(size)])
const upload = (path: string, body: Buffer, headers: Record<string, string> = { 'content-type': 'image/png' }) =>
  fetch(`${cloud.url}/storage/upload?path=${encodeURIComponent(path)}`, { method: 'POST', headers, body: new Uint8Array(body) })
const code = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code

test('a picture is stored under goods/ and answered with its file id and a URL that serves it', async () => {
  const content = png()
  const res = await upload('goods/new-cup.png', content)
  assert.equal(res.status, 200)
  const { fileID, url } = (await res.json()) as { fileID: string; url: string }
  assert.equal(fileID, 'cloud://test-env.test-env-local/goods/new-cup.png')
  const served = await fetch(url)
  assert.equal(served.headers.get('content-type'), 'image/png')
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(content))
  // The file id is a real cloud file: the SDK turns it into the same URL.
  const sdk = sdkFor(cloud.url) as unknown as Storage
  const { fileList } = await sdk.getTempFileURL({ fileList: [fileID] })
  assert.equal(fileList[0]!.tempFileURL, url)
})

test('JPEG, GIF and WebP are taken too, each by its own bytes and name', async () => {
  const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), randomBytes(64)])
  const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), randomBytes(64)])
  const webp = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBP', 'latin1'), randomBytes(64)])
  assert.equal((await upload('goods/a.jpg', jpeg, { 'content-type': 'image/jpeg' })).status, 200)
  assert.equal((await upload('goods/a.gif', gif, { 'content-type': 'image/gif' })).status, 200)
  assert.equal((await upload('goods/a.webp', webp, { 'content-type': 'image/webp' })).status, 200)
})

test('refused: not a picture type, bytes that are not the type, a name that does not fit, other folders, too large, replacing', async () => {
  assert.equal((await upload('goods/x.png', png(), { 'content-type': 'text/plain' })).status, 415)
  assert.equal((await upload('goods/x.svg', Buffer.from('<svg/>'), { 'content-type': 'image/svg+xml' })).status, 415)
  const disguised = await upload('goods/x.png', Buffer.from('<html><script>alert(1)</script></html>'))
  assert.equal(disguised.status, 415)
  assert.equal(await code(disguised), 'NOT_A_PICTURE')
  assert.equal((await upload('goods/x.html', png())).status, 400)
  assert.equal((await upload('goods/x', png())).status, 400)
  for (const path of ['orders/x.png', 'goods/sub/x.png', 'goods/../x.png', '/goods/x.png', 'x.png', ''])
    assert.equal((await upload(path, png())).status, 400, path)
  const big = await upload('goods/big.png', png(MAX_PICTURE_BYTES))
  assert.equal(big.status, 413)
  assert.equal((await fetch(`${cloud.url}/storage/goods/big.png`)).status, 404)
  assert.equal((await upload('goods/once.png', png())).status, 200)
  const again = await upload('goods/once.png', png())
  assert.equal(again.status, 409)
  assert.equal(await code(again), 'EXISTS')
  for (const name of ['x.png', 'disguised.png']) assert.equal((await fetch(`${cloud.url}/storage/goods/${name}`)).status, 404, name)
})

test('a page the local cloud does not serve cannot upload', async () => {
  const res = await upload('goods/evil.png', png(), { 'content-type': 'image/png', origin: 'http://evil.example' })
  assert.equal(res.status, 403)
  assert.equal((await fetch(`${cloud.url}/storage/goods/evil.png`)).status, 404)
})
