import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ReconcileRunView, StaffGoodsView } from '../../cloud/payment/staffContracts'
import type { StaffGoodsApi } from '../services/staffGoods'
import { CloudError } from '../services/transport'
import { createStaffGoodsStore } from './staffGoods'

const AT = '2026-11-27T01:00:00.000Z'
const item = (id: string, over: Partial<StaffGoodsView> = {}): StaffGoodsView => ({
  _id: id,
  name: `商品 ${id}`,
  description: '',
  priceFen: 1000,
  pics: [],
  picUrls: [],
  onSale: true,
  createdAt: AT,
  updatedAt: AT,
  ...over,
})
const run = (id: string, finishedAt: string | null = AT): ReconcileRunView => ({
  id,
  trigger: 'staff',
  by: 'staff-1',
  startedAt: AT,
  finishedAt,
  counts: { checked: 1, paid: 0, closed: 0, refundsSettled: 0, latePayments: 0, received: 0, shippingUploads: 0, errors: 0 },
  errors: [],
})

function fakeApi(over: Partial<StaffGoodsApi>): StaffGoodsApi {
  const never = () => Promise.reject(new Error('not expected'))
  return { goods: never, saveGoods: never, setOnSale: never, reconcileStatus: never, runReconcile: never, ...over }
}
const ids = () => {
  let n = 0
  return () => `req-0000000${++n}`
}
const lost = () => new CloudError('TRANSPORT_ERROR', 'offline')

test('the list: first page, the next page appended without repeats, off-sale ones kept', async () => {
  const store = createStaffGoodsStore({
    api: fakeApi({
      goods: (q = {}) =>
        Promise.resolve(q.cursor ? { items: [item('b'), item('c', { onSale: false })], nextCursor: null } : { items: [item('a'), item('b')], nextCursor: '2' }),
    }),
  })
  await store.getState().refresh()
  assert.equal(store.getState().access, 'staff')
  await store.getState().loadMore()
  assert.deepEqual(
    store.getState().list.items.map((g) => [g._id, g.onSale]),
    [
      ['a', true],
      ['b', true],
      ['c', false],
    ],
  )
  assert.equal(store.getState().list.nextCursor, null)
})

test('FORBIDDEN from the server: access is forbidden (the page shows 无权限)', async () => {
  const store = createStaffGoodsStore({ api: fakeApi({ goods: () => Promise.reject(new CloudError('FORBIDDEN', '无权限')) }) })
  await store.getState().refresh()
  assert.equal(store.getState().access, 'forbidden')
  assert.equal(store.getState().list.status, 'error')
})

test('save: a lost answer keeps the request id for the retry; a definite answer ends it', async () => {
  const sent: string[] = []
  const answers: Array<() => Promise<StaffGoodsView>> = [
    () => Promise.reject(lost()),
    () => Promise.resolve(item('g-new', { priceFen: 1230 })),
    () => Promise.reject(new CloudError('INVALID_ARGUMENT', '请填写商品名称')),
    () => Promise.resolve(item('g-2')),
  ]
  const store = createStaffGoodsStore({
    api: fakeApi({
      saveGoods: (input) => {
        sent.push(input.requestId)
        return answers.shift()!()
      },
    }),
    newRequestId: ids(),
  })
  const draft = { name: '咖啡', description: '', priceFen: 1230, pics: [], onSale: true }
  assert.equal(await store.getState().save(draft), null)
  assert.equal(store.getState().saving.error?.code, 'TRANSPORT_ERROR')
  assert.equal((await store.getState().save(draft))?._id, 'g-new')
  assert.equal(store.getState().saving.error, null)
  assert.equal(store.getState().list.items[0]?._id, 'g-new', 'a new item shows first in the list')
  assert.equal(store.getState().byId['g-new']?.priceFen, 1230)
  assert.equal(await store.getState().save(draft), null) // refused: nothing happened
  assert.equal(store.getState().saving.error?.message, '请填写商品名称')
  await store.getState().save(draft)
  assert.deepEqual(sent, ['req-00000001', 'req-00000001', 'req-00000002', 'req-00000003'])
})

test('save: a create whose answer was lost, changed before the retry, goes again as it was and the change follows as an edit of that item', async () => {
  const sent: Array<{ requestId: string; id?: string; name: string }> = []
  let first = true
  const store = createStaffGoodsStore({
    api: fakeApi({
      saveGoods: (input) => {
        sent.push({ requestId: input.requestId, ...(input.id ? { id: input.id } : {}), name: input.name })
        if (first) {
          first = false
          return Promise.reject(lost()) // the server made it; the answer never came
        }
        return Promise.resolve(item(input.id ?? 'g-made', { name: input.name }))
      },
    }),
    newRequestId: ids(),
  })
  const draft = { name: '咖啡', description: '', priceFen: 1230, pics: [], onSale: true }
  assert.equal(await store.getState().save(draft), null)
  const saved = await store.getState().save({ ...draft, name: '咖啡豆' })
  assert.equal(saved?._id, 'g-made')
  assert.equal(saved?.name, '咖啡豆')
  assert.deepEqual(sent, [
    { requestId: 'req-00000001', name: '咖啡' },
    { requestId: 'req-00000001', name: '咖啡' },
    { requestId: 'req-00000002', id: 'g-made', name: '咖啡豆' },
  ])
  assert.deepEqual(
    store.getState().list.items.map((i) => i._id),
    ['g-made'],
    'one item',
  )
  // The next create is a new request.
  await store.getState().save({ ...draft, name: '茶' })
  assert.deepEqual(sent[3], { requestId: 'req-00000003', name: '茶' })
})

test('save: a second tap while one is on its way sends nothing', async () => {
  let calls = 0
  let answer: (g: StaffGoodsView) => void = () => undefined
  const store = createStaffGoodsStore({
    api: fakeApi({ saveGoods: () => (calls++, new Promise((resolve) => (answer = resolve))) }),
    newRequestId: ids(),
  })
  const draft = { id: 'g-1', name: '咖啡', description: '', priceFen: 1, pics: [], onSale: true }
  const first = store.getState().save(draft)
  assert.equal(store.getState().saving.busy, true)
  assert.equal(await store.getState().save(draft), null)
  answer(item('g-1'))
  await first
  assert.equal(calls, 1)
  assert.equal(store.getState().saving.busy, false)
})

test('on/off sale: the answer replaces the row; a lost answer retries with the same id, the other direction is another request', async () => {
  const sent: Array<[string, boolean]> = []
  const answers: Array<() => Promise<StaffGoodsView>> = [
    () => Promise.reject(lost()),
    () => Promise.resolve(item('a', { onSale: false })),
    () => Promise.resolve(item('a', { onSale: true })),
  ]
  const store = createStaffGoodsStore({
    api: fakeApi({
      goods: () => Promise.resolve({ items: [item('a'), item('b')], nextCursor: null }),
      setOnSale: (input) => {
        sent.push([input.requestId, input.onSale])
        return answers.shift()!()
      },
    }),
    newRequestId: ids(),
  })
  await store.getState().refresh()
  assert.equal(await store.getState().setOnSale('a', false), false)
  assert.equal(store.getState().toggling['a']?.error?.code, 'TRANSPORT_ERROR')
  assert.equal(await store.getState().setOnSale('a', false), true)
  assert.equal(store.getState().list.items[0]?.onSale, false)
  assert.equal(await store.getState().setOnSale('a', true), true)
  assert.deepEqual(sent, [
    ['req-00000001', false],
    ['req-00000001', false],
    ['req-00000002', true],
  ])
})

test('loadGoods asks for the one item by id, however long the catalogue; an unknown id is GOODS_NOT_FOUND, a lost answer can be retried', async () => {
  const asked: unknown[] = []
  let offline = true
  const store = createStaffGoodsStore({
    api: fakeApi({
      goods: (q = {}) => {
        asked.push(q)
        if (offline) return Promise.reject(lost())
        return q.id === 'z' ? Promise.resolve({ items: [item('z')], nextCursor: null }) : Promise.reject(new CloudError('GOODS_NOT_FOUND', '商品不存在'))
      },
    }),
  })
  await store.getState().loadGoods('z')
  assert.equal(store.getState().detail['z']?.status, 'error')
  assert.equal(store.getState().byId['z'], undefined)
  offline = false
  await store.getState().loadGoods('z')
  assert.equal(store.getState().detail['z']?.status, 'ready')
  assert.equal(store.getState().byId['z']?._id, 'z')
  await store.getState().loadGoods('nope')
  assert.equal(store.getState().detail['nope']?.error?.code, 'GOODS_NOT_FOUND')
  assert.equal(store.getState().detail['nope']?.error?.message, '商品不存在')
  assert.deepEqual(asked, [{ id: 'z' }, { id: 'z' }, { id: 'nope' }], 'one request per load, by id: no paging through the catalogue')
})

test('reconcile: status, run now with busy state and the new run, a lost answer reuses the request id', async () => {
  const sent: string[] = []
  let release: () => void = () => undefined
  const answers: Array<() => Promise<{ ran: boolean; running: boolean; run: ReconcileRunView | null }>> = [
    () => Promise.reject(lost()),
    () => new Promise((resolve) => (release = () => resolve({ ran: true, running: false, run: run('new') }))),
    () => Promise.resolve({ ran: false, running: true, run: null }),
  ]
  const store = createStaffGoodsStore({
    api: fakeApi({
      reconcileStatus: () => Promise.resolve({ last: run('old'), running: false }),
      runReconcile: (requestId) => {
        sent.push(requestId)
        return answers.shift()!()
      },
    }),
    newRequestId: ids(),
  })
  await store.getState().loadReconcile()
  assert.equal(store.getState().reconcile.last?.id, 'old')
  assert.equal(await store.getState().runReconcile(), false)
  assert.equal(store.getState().reconcile.runError?.code, 'TRANSPORT_ERROR')
  const running = store.getState().runReconcile()
  assert.equal(store.getState().reconcile.busy, true)
  assert.equal(store.getState().reconcile.runError, null)
  assert.equal(await store.getState().runReconcile(), false, 'no second run while one is on its way')
  release()
  assert.equal(await running, true)
  assert.equal(store.getState().reconcile.busy, false)
  assert.equal(store.getState().reconcile.last?.id, 'new')
  // Another run held the lease: nothing new to show, the last run stays, the page says so.
  assert.equal(await store.getState().runReconcile(), false)
  assert.deepEqual(store.getState().reconcile.outcome, { ran: false, running: true })
  assert.equal(store.getState().reconcile.last?.id, 'new')
  assert.deepEqual(sent, ['req-00000001', 'req-00000001', 'req-00000002'])
})
