import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browserUpload, createStaffGoodsApi, parseUploadAnswer, pictureCloudPath } from './staffGoods'
import { CloudError } from './transport'

const AT = '2026-11-27T01:00:00.000Z'
const goods = {
  _id: 'g-1',
  name: '咖啡豆',
  description: '云南',
  priceFen: 1230,
  pics: ['cloud://env.bucket/goods/a.png'],
  picUrls: ['https://tmp/a.png'],
  onSale: true,
  createdAt: AT,
  updatedAt: null,
}
const run = {
  id: 'staff-abc',
  trigger: 'staff',
  by: 'staff-1',
  startedAt: AT,
  finishedAt: AT,
  counts: { checked: 3, paid: 1, closed: 0, refundsSettled: 0, latePayments: 0, received: 0, shippingUploads: 0, errors: 1 },
  errors: [{ outTradeNo: 'NO1', message: 'gateway timeout' }],
}

/** A transport that records what was sent and answers `answer`. */
function transport(answer: unknown) {
  const sent: Array<[string, Record<string, unknown>]> = []
  return { sent, call: (name: string, data: Record<string, unknown>) => (sent.push([name, data]), Promise.resolve(answer)) }
}

const isBad = (error: unknown): boolean => error instanceof CloudError && error.code === 'BAD_RESPONSE'

test('goods: sends the action and cursor, parses every item', async () => {
  const t = transport({ items: [goods], nextCursor: '20' })
  const page = await createStaffGoodsApi(t.call).goods({ cursor: '20', limit: 20 })
  assert.deepEqual(t.sent, [['staff', { action: 'goods', cursor: '20', limit: 20 }]])
  assert.deepEqual(page, { items: [goods], nextCursor: '20' })
})

test('goods: junk is BAD_RESPONSE, not a page with holes', async () => {
  const junk: unknown[] = [
    null,
    { items: 'x' },
    { items: [{ ...goods, priceFen: 12.3 }] },
    { items: [{ ...goods, priceFen: -1 }] },
    { items: [{ ...goods, onSale: 'yes' }] },
    { items: [{ ...goods, pics: ['a', 'b'] }] },
    { items: [{ ...goods, name: undefined }] },
    { items: [goods], nextCursor: 3 },
  ]
  for (const answer of junk) await assert.rejects(createStaffGoodsApi(transport(answer).call).goods(), isBad, JSON.stringify(answer))
})

test('saveGoods and setOnSale send the fields as given and parse the item', async () => {
  const t = transport(goods)
  const api = createStaffGoodsApi(t.call)
  const input = { requestId: 'req-12345678', name: '咖啡豆', priceFen: 1230, pics: goods.pics, onSale: true }
  assert.deepEqual(await api.saveGoods(input), goods)
  await api.setOnSale({ requestId: 'req-abcdefgh', id: 'g-1', onSale: false })
  assert.deepEqual(t.sent, [
    ['staff', { action: 'saveGoods', ...input }],
    ['staff', { action: 'setOnSale', requestId: 'req-abcdefgh', id: 'g-1', onSale: false }],
  ])
  await assert.rejects(createStaffGoodsApi(transport({ ok: true }).call).saveGoods(input), isBad)
})

test('reconcile status and run now: parsed, a missing last run is null, junk refused', async () => {
  assert.deepEqual(await createStaffGoodsApi(transport({ last: run, running: false }).call).reconcileStatus(), { last: run, running: false })
  assert.deepEqual(await createStaffGoodsApi(transport({ last: null, running: true }).call).reconcileStatus(), { last: null, running: true })
  const t = transport({ ran: true, running: false, run })
  assert.deepEqual(await createStaffGoodsApi(t.call).runReconcile('req-12345678'), { ran: true, running: false, run })
  assert.deepEqual(t.sent, [['staff', { action: 'runReconcile', requestId: 'req-12345678' }]])
  const junk: unknown[] = [
    { last: { ...run, counts: { ...run.counts, paid: '1' } }, running: false },
    { last: { ...run, trigger: 'cron' }, running: false },
    { last: { ...run, errors: [{ outTradeNo: 1 }] }, running: false },
    { last: run },
  ]
  for (const answer of junk) await assert.rejects(createStaffGoodsApi(transport(answer).call).reconcileStatus(), isBad, JSON.stringify(answer))
  await assert.rejects(createStaffGoodsApi(transport({ ran: 'yes', running: false, run: null }).call).runReconcile('req-12345678'), isBad)
})

test('pictureCloudPath: under goods/, a new name each time, the extension from the type or the file name', () => {
  const r = () => 'abc'
  assert.equal(pictureCloudPath('image/png', 'x.jpg', 36, r), 'goods/10-abc.png')
  assert.equal(pictureCloudPath('', 'wxfile://tmp/photo.JPEG', 36, r), 'goods/10-abc.jpg')
  assert.equal(pictureCloudPath('', 'http://tmp/photo', 36, r), 'goods/10-abc.jpg')
  assert.equal(pictureCloudPath('image/webp', 'x', 36, r), 'goods/10-abc.webp')
})

test('browser upload: POSTs the bytes with their type to the upload route; the answer is the file id, refusals in staff words', async () => {
  const calls: Array<[string, RequestInit | undefined]> = []
  const fake =
    (status: number, body: unknown): typeof fetch =>
    (input, init) => {
      calls.push([String(input), init])
      return Promise.resolve(new Response(JSON.stringify(body), { status }))
    }
  const file = { type: 'image/png', name: 'a.png', body: new Blob([new Uint8Array([1, 2])]) }
  const id = await browserUpload(fake(200, { fileID: 'cloud://env.b/goods/a.png', url: 'http://x' }), file, 'goods/a b.png')
  assert.equal(id, 'cloud://env.b/goods/a.png')
  assert.equal(calls[0]?.[0], '/storage/upload?path=goods%2Fa%20b.png')
  assert.equal(calls[0]?.[1]?.method, 'POST')
  assert.deepEqual(calls[0]?.[1]?.headers, { 'content-type': 'image/png' })
  await assert.rejects(browserUpload(fake(415, { error: {} }), file, 'goods/a.png'), /只能上传/)
  await assert.rejects(browserUpload(fake(413, null), file, 'goods/a.png'), /图片太大/)
  await assert.rejects(browserUpload(fake(200, { fileID: 'https://elsewhere' }), file, 'goods/a.png'), isBad)
  const down: typeof fetch = () => Promise.reject(new TypeError('offline'))
  await assert.rejects(browserUpload(down, file, 'goods/a.png'), (e: unknown) => e instanceof CloudError && e.code === 'TRANSPORT_ERROR')
  assert.throws(() => parseUploadAnswer(500, null), /HTTP 500/)
})
