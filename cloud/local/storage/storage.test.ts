/**
 * Cloud storage through the real, unmodified wx-server-sdk against the local cloud: the requests
 * it sends (storage.getUploadMetadata, the PUT upload, batchGetDownloadUrl, batchDeleteFile) and
 * what the shop can rely on: bytes in equal bytes out, unsafe paths refused, the guard in front.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { request } from 'node:http'
import { after, before, test } from 'node:test'
import { sdkFor, startTestCloud, type TestCloud } from '../testing/harness'
import { MAX_BATCH, MAX_FILE_BYTES } from './storage'

/** wx-server-sdk's storage calls in their promise forms (its typings also model the callback ones). */
type Storage = {
  uploadFile(options: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>
  getTempFileURL(options: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number; tempFileURL: string }[] }>
  deleteFile(options: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number }[] }>
  downloadFile(options: { fileID: string }): Promise<{ fileContent: Buffer }>
}
const storageFor = (url: string): Storage => sdkFor(url) as unknown as Storage

let cloud: TestCloud
let sdk: Storage

before(async () => {
  cloud = await startTestCloud({ seed: false })
  sdk = storageFor(cloud.url)
})
after(async () => cloud.stop())

const png = (): Buffer => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2048)])

test('upload → getTempFileURL → the bytes → delete → gone', async () => {
  const content = png()
  const { fileID } = await sdk.uploadFile({ cloudPath: 'goods/mug/cover.png', fileContent: content })
  assert.equal(fileID, 'cloud://test-env.test-env-local/goods/mug/cover.png')

  const { fileList } = await sdk.getTempFileURL({ fileList: [fileID, 'cloud://test-env.test-env-local/goods/none.png'] })
  assert.equal(fileList.length, 2)
  assert.equal(fileList[0]!.status, 0)
  assert.equal(fileList[0]!.tempFileURL, `${cloud.url}/storage/goods/mug/cover.png`)
  assert.equal(fileList[1]!.status, -503003, 'a missing file is STORAGE_FILE_NONEXIST')
  assert.equal(fileList[1]!.tempFileURL, '')

  const served = await fetch(fileList[0]!.tempFileURL)
  assert.equal(served.status, 200)
  assert.equal(served.headers.get('content-type'), 'image/png')
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(content))

  const downloaded = await sdk.downloadFile({ fileID })
  assert.ok(Buffer.isBuffer(downloaded.fileContent) && downloaded.fileContent.equals(content))

  const deleted = await sdk.deleteFile({ fileList: [fileID] })
  assert.deepEqual(
    deleted.fileList.map((f) => f.status),
    [0],
  )
  assert.equal((await fetch(`${cloud.url}/storage/goods/mug/cover.png`)).status, 404)
  const again = await sdk.getTempFileURL({ fileList: [fileID] })
  assert.equal(again.fileList[0]!.status, -503003)
  const twice = await sdk.deleteFile({ fileList: [fileID] })
  assert.equal(twice.fileList[0]!.status, -503003)
})

test('an upload survives a restart of the local cloud', async () => {
  const content = png()
  const first = await startTestCloud({ seed: false })
  const { fileID } = await storageFor(first.url).uploadFile({ cloudPath: 'keep/me.png', fileContent: content })
  await first.close()
  const reopened = await startTestCloud({ seed: false, dataDir: first.dataDir })
  try {
    const { fileList } = await storageFor(reopened.url).getTempFileURL({ fileList: [fileID] })
    const served = await fetch(fileList[0]!.tempFileURL)
    assert.ok(Buffer.from(await served.arrayBuffer()).equals(content))
  } finally {
    await reopened.stop()
    rmSync(first.dataDir, { recursive: true, force: true })
    sdkFor(cloud.url)
  }
})

test('unsafe cloud paths are refused before anything is written', async () => {
  for (const cloudPath of ['../escape.png', 'a/../../escape.png', '/abs.png', 'a\\b.png', 'a//b.png', './a.png', 'a/%2e%2e/b.png', 'q?x=1.png']) {
    await assert.rejects(sdk.uploadFile({ cloudPath, fileContent: png() }), /uploadFile:fail cloudPath/, cloudPath)
  }
  // Straight at the upload URL, with a percent-encoded way out.
  for (const encoded of ['..%2Fescape.png', '%2e%2e%2Fescape.png', 'a%5Cb.png', '%2Fabs.png']) {
    const res = await fetch(`${cloud.url}/storage/${encoded}`)
    assert.equal(res.status, 400, encoded)
  }
})

test('an upload needs the token getUploadMetadata handed out, for that path, once', async () => {
  const put = (path: string, headers: Record<string, string>) => fetch(`${cloud.url}/storage/${path}`, { method: 'PUT', headers, body: new Uint8Array(png()) })
  assert.equal((await put('goods/forged.png', {})).status, 403)
  const meta = await adminJson({ action: 'storage.getUploadMetadata', path: 'goods/ok.png', method: 'put' })
  const { token, authorization } = meta['data'] as { token: string; authorization: string }
  const headers = { 'x-cos-security-token': token, authorization }
  assert.equal((await put('goods/other.png', headers)).status, 403, 'a token is for one path')
  assert.equal((await put('goods/ok.png', { ...headers, authorization: 'wrong' })).status, 403)
  assert.equal((await put('goods/ok.png', headers)).status, 200)
  assert.equal((await put('goods/ok.png', headers)).status, 403, 'a token is used once')
  assert.equal((await fetch(`${cloud.url}/storage/goods/forged.png`)).status, 404)
})

test('files over the size limit are refused', async () => {
  await assert.rejects(sdk.uploadFile({ cloudPath: 'big/file.bin', fileContent: Buffer.alloc(MAX_FILE_BYTES + 1) }), /EntityTooLarge/)
  assert.equal((await fetch(`${cloud.url}/storage/big/file.bin`)).status, 404)
})

test('getTempFileURL takes at most 50 files a call, and refuses another environment', async () => {
  const many = Array.from({ length: MAX_BATCH + 1 }, (_, i) => `cloud://test-env.test-env-local/x/${i}.png`)
  await assert.rejects(sdk.getTempFileURL({ fileList: many }), /getTempFileURL:fail file_list must hold 1 to 50 files/)
  const { fileList } = await sdk.getTempFileURL({ fileList: ['cloud://prod-env.prod-bucket/goods/a.png'] })
  assert.equal(fileList[0]!.status, -503002, 'STORAGE_EXCEED_AUTHORITY')
})

test('the guard still applies: a foreign Host is refused, for reads and uploads', async () => {
  await sdk.uploadFile({ cloudPath: 'guarded.png', fileContent: png() })
  for (const method of ['GET', 'PUT']) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${cloud.url}/storage/guarded.png`, { method, headers: { host: 'evil.example:80' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    assert.equal(status, 403, method)
  }
  const crossSite = await fetch(`${cloud.url}/storage/guarded.png`, { headers: { origin: 'https://evil.example' } })
  assert.equal(crossSite.status, 403)
})

async function adminJson(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${cloud.url}/admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return (await res.json()) as Record<string, unknown>
}
