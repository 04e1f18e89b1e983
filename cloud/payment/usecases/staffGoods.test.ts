// The staff catalogue use cases (goods create / edit / on-off sale, the staff goods list) called
// directly on the in-memory ports: prices as exact fen, refusals that write nothing, and what a
// retry, a race or a fault leaves behind. The console's paths through `staffConsole` are in
// staffCatalogue.test.ts.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { GOODS_ID } from '../core/cart'
import type { ErrorCode } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST } from '../parse'
import { parseYuan } from '../staffContracts'
import { captureConsole, refusal } from '../testing/assertions'
import { MemoryAudit, memoryWorld, type MemoryWorld } from '../testing/memory'
import { consoleExtras } from '../testing/staffConsoleMemory'
import { REQUEST_REUSED } from './staffActions'
import { goodsIdOf, listStaffGoods, saveGoods, setOnSale, type StaffGoodsDeps } from './staffGoods'

type World = MemoryWorld & StaffGoodsDeps & ReturnType<typeof consoleExtras> & { audit: MemoryAudit }

function world(): World {
  const w = memoryWorld()
  const audit = new MemoryAudit()
  return Object.assign(w, { audit }, consoleExtras(w.goods, audit))
}

const FIELDS = { name: '滤杯', description: '', priceFen: 8800, pics: ['cloud://env.b/goods/a.png'], onSale: true }
const save = (w: World, requestId: string, fields: Record<string, unknown> = {}) => saveGoods(w, 'staff-1', { requestId, ...FIELDS, ...fields })
const onSale = (w: World, requestId: string, id: string, value: unknown) => setOnSale(w, 'staff-1', { requestId, id, onSale: value })
const item = (w: World, id: string) => w.goods.goods.find((g) => g._id === id)
const shopperIds = async (w: World) => (await w.goods.listOnSale(undefined, 100)).goods.map((g) => g._id)

/** A refusal in staff words that also carries, for the operator's log, a detail of why. */
async function refused(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await refusal(promise, code)
  assert.ok(error.detail, `${code} "${error.message}" has no detail for the operator`)
  if (message !== undefined) assert.equal(error.message, message)
  return error
}

/** Fails the next catalogue update once with `fault` (a database fault), then updates as before. */
function updateFailsOnce(w: World, fault: unknown): void {
  const update = w.catalogue.update.bind(w.catalogue)
  let failed = false
  w.catalogue.update = async (...args) => {
    if (failed) return update(...args)
    failed = true
    throw fault
  }
}

describe('staffGoods: prices', () => {
  test('a price typed as yuan is stored as exact integer fen', async () => {
    const w = world()
    const typed: Array<[string, number]> = [
      ['19.9', 1990],
      ['0.01', 1],
      ['１２．５', 1250],
      [' 88 ', 8800],
      ['100000', 10_000_000],
    ]
    for (const [i, [text, fen]] of typed.entries()) {
      const priceFen = parseYuan(text)
      assert.equal(priceFen, fen, text)
      const view = await save(w, `price-req-0${i}`, { priceFen })
      assert.equal(view.priceFen, fen, text)
      assert.equal(item(w, view._id)?.priceFen, fen, text)
    }
  })

  test('a price that is not whole fen (yuan times 100 in floating point), zero or too high is refused and writes nothing', async () => {
    const w = world()
    const before = structuredClone(w.goods.goods)
    await refused(save(w, 'price-bad-01', { priceFen: 19.9 * 100 }), 'INVALID_ARGUMENT', '价格格式不正确，最多两位小数')
    await refused(save(w, 'price-bad-02', { priceFen: 0 }), 'INVALID_ARGUMENT', '价格应大于 0 元')
    await refused(save(w, 'price-bad-03', { priceFen: 10_000_001 }), 'INVALID_ARGUMENT', '价格不能超过 100000 元')
    await refused(save(w, 'price-bad-04', { priceFen: '19.90' }), 'INVALID_ARGUMENT', '请填写价格')
    assert.deepEqual(w.goods.goods, before)
    assert.equal(w.audit.records.size, 0)
  })
})

describe('staffGoods: save', () => {
  test('create: an orderable id; without description or pictures they are empty; a null id is a create', async () => {
    const w = world()
    const view = await save(w, 'create-req-01', { id: null, description: undefined, pics: undefined })
    assert.equal(view._id, goodsIdOf('create-req-01'))
    assert.match(view._id, GOODS_ID)
    assert.deepEqual([view.description, view.pics, view.picUrls], ['', [], []])
    assert.equal(item(w, view._id)?.pic, '')
    assert.deepEqual(
      (await w.goods.findByIds([view._id])).map((g) => g.name),
      ['滤杯'],
    )
    assert.ok((await shopperIds(w)).includes(view._id))
  })

  test('the view shows the stored pictures, cover first, with URLs a page can load', async () => {
    const w = world()
    const pics = ['/static/goods/mug.png', 'cloud://env.b/goods/b.png', 'https://cdn.example/c.png']
    const view = await save(w, 'create-req-02', { pics })
    assert.deepEqual(view.pics, pics)
    assert.deepEqual(view.picUrls, ['/static/goods/mug.png', 'https://tmp.example/b.png', 'https://cdn.example/c.png'])
    assert.equal(item(w, view._id)?.pic, '/static/goods/mug.png')
  })

  test('bad input is INVALID_ARGUMENT naming the field in staff words; nothing is written or recorded', async () => {
    const w = world()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ requestId: 12345678 }, BAD_REQUEST],
      [{ requestId: 'goods-req-01!' }, BAD_REQUEST],
      [{ id: 12345 }, BAD_REQUEST],
      [{ id: '../x' }, BAD_REQUEST],
      [{ name: 42 }, '商品名称格式不正确'],
      [{ description: 42 }, '商品描述格式不正确'],
      [{ name: '   ' }, '请填写商品名称'],
      [{ name: '一\u2028二' }, '商品名称不能换行或包含特殊字符'],
      [{ name: '名'.repeat(41) }, '商品名称最多 40 个字'],
      [{ pics: 'cloud://env.b/goods/a.png' }, '商品图片格式不正确'],
      [{ pics: Array.from({ length: 10 }, (_, i) => `/static/goods/${i}.png`) }, '商品图片最多 9 张'],
      [{ pics: [['/static/goods/a.png']] }, '第 1 张商品图片无效，请重新上传'],
      [{ pics: ['/static/goods/a.png', `https://cdn.example/${'a'.repeat(1005)}`] }, '第 2 张商品图片无效，请重新上传'],
      [{ pics: ['/static/goods/a.png', '/static/goods/a.png'] }, '商品图片有重复，请删除重复的图片'],
      [{ onSale: 'true' }, '请选择上架状态'],
    ]
    const before = structuredClone(w.goods.goods)
    for (const [fields, message] of cases) await refused(save(w, 'bad-req-0001', fields), 'INVALID_ARGUMENT', message)
    for (const fields of [{ onSale: 'false' }, { id: 12345 }, { requestId: undefined }])
      await refused(setOnSale(w, 'staff-1', { requestId: 'bad-req-0002', id: 'tea', onSale: false, ...fields }), 'INVALID_ARGUMENT')
    assert.deepEqual(w.goods.goods, before)
    assert.equal(w.audit.records.size, 0)
    // The limits themselves are fine: 9 pictures, one of 1024 characters.
    const most = [...Array.from({ length: 8 }, (_, i) => `/static/goods/${i}.png`), `https://cdn.example/${'a'.repeat(1004)}`]
    assert.deepEqual((await save(w, 'ok-req-0001', { pics: most })).pics, most)
  })

  test('edit: the audit keeps which item and what was set, on no order; setOnSale too', async () => {
    const w = world()
    const edit = { id: 'tea', ...FIELDS, name: '红茶（新）', pics: ['/static/goods/t.png'] }
    await save(w, 'edit-req-0001', edit)
    const record = await w.consoleAudit.get('edit-req-0001')
    assert.deepEqual(record, {
      requestId: 'edit-req-0001',
      staff: 'staff-1',
      action: 'saveGoods',
      outTradeNo: '',
      goodsId: 'tea',
      input: edit,
      outcome: 'ok',
      at: new Date(w.clock.now()),
    })
    await onSale(w, 'switch-req-01', 'tea', false)
    const switched = await w.consoleAudit.get('switch-req-01')
    assert.deepEqual([switched?.action, switched?.goodsId, switched?.outTradeNo, switched?.input], ['setOnSale', 'tea', '', { id: 'tea', onSale: false }])
  })

  test('a requestId is used once: for another item or another action it is REQUEST_REUSED and nothing changes', async () => {
    const w = world()
    await save(w, 'edit-req-0002', { id: 'tea', name: '红茶二代' })
    await refused(save(w, 'edit-req-0002', { id: 'coffee', name: '红茶二代' }), 'INVALID_ARGUMENT', REQUEST_REUSED)
    await refused(onSale(w, 'edit-req-0002', 'tea', false), 'INVALID_ARGUMENT', REQUEST_REUSED)
    assert.equal(item(w, 'coffee')?.name, '挂耳咖啡')
    assert.equal(item(w, 'tea')?.onSale, true)
  })

  test('20 concurrent repeats of a create make one item and all answer it', async (t) => {
    captureConsole(t)
    const w = world()
    const count = w.goods.goods.length
    const views = await Promise.all(Array.from({ length: 20 }, () => save(w, 'create-req-03')))
    assert.ok(views.every((v) => v._id === goodsIdOf('create-req-03')))
    assert.equal(w.goods.goods.length, count + 1)
    assert.equal(w.audit.records.size, 1)
  })

  test('another save recorded first under the same requestId while ours ran: ours is REQUEST_REUSED and theirs stands', async (t) => {
    captureConsole(t)
    const w = world()
    const theirs = {
      requestId: 'edit-req-0003',
      staff: 'staff-2',
      action: 'setOnSale' as const,
      outTradeNo: '',
      goodsId: 'tea',
      input: { id: 'tea', onSale: false },
      outcome: 'ok',
      at: new Date(0),
    }
    const update = w.catalogue.update.bind(w.catalogue)
    w.catalogue.update = async (...args) => (await w.consoleAudit.record(theirs), update(...args))
    await refused(save(w, 'edit-req-0003', { id: 'tea' }), 'INVALID_ARGUMENT', REQUEST_REUSED)
    assert.deepEqual(await w.consoleAudit.get('edit-req-0003'), theirs)
  })

  test('a fault while saving or switching is not recorded, so the retry applies the change and records ok', async (t) => {
    captureConsole(t)
    for (const fault of [new Error('database down'), new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: 'write timed out' })]) {
      const w = world()
      updateFailsOnce(w, fault)
      await assert.rejects(save(w, 'edit-req-0004', { id: 'tea', priceFen: 3100 }), (error) => error === fault)
      assert.equal(w.audit.records.size, 0, fault.message)
      assert.equal((await save(w, 'edit-req-0004', { id: 'tea', priceFen: 3100 })).priceFen, 3100)
      assert.equal(item(w, 'tea')?.priceFen, 3100)
      updateFailsOnce(w, fault)
      await assert.rejects(onSale(w, 'switch-req-02', 'tea', false), (error) => error === fault)
      assert.equal((await onSale(w, 'switch-req-02', 'tea', false)).onSale, false)
      assert.equal((await w.consoleAudit.get('switch-req-02'))?.outcome, 'ok')
    }
  })

  test('unknown goods: GOODS_NOT_FOUND, recorded; a retry of a create whose item was deleted since is GOODS_NOT_FOUND and re-creates nothing', async (t) => {
    captureConsole(t)
    const w = world()
    await refused(onSale(w, 'switch-req-03', 'nope', true), 'GOODS_NOT_FOUND')
    assert.equal((await w.consoleAudit.get('switch-req-03'))?.outcome, 'GOODS_NOT_FOUND')
    const made = await save(w, 'create-req-04')
    w.goods.goods.splice(
      w.goods.goods.findIndex((g) => g._id === made._id),
      1,
    )
    await refused(save(w, 'create-req-04'), 'GOODS_NOT_FOUND')
    assert.equal(item(w, made._id), undefined)
  })
})

describe('staffGoods: on and off sale', () => {
  test('an off-sale item stays listed for staff, leaves the shop, and a retry of the switch does not flip it back', async () => {
    const w = world()
    const off = await onSale(w, 'switch-req-04', 'tea', false)
    assert.equal(off.onSale, false)
    assert.ok(!(await shopperIds(w)).includes('tea'))
    const staffList = await listStaffGoods(w, { limit: 50 })
    assert.equal(staffList.items.find((g) => g._id === 'tea')?.onSale, false)
    await onSale(w, 'switch-req-05', 'tea', true)
    assert.ok((await shopperIds(w)).includes('tea'))
    assert.equal((await onSale(w, 'switch-req-04', 'tea', false)).onSale, true, 'the retry changed nothing')
    assert.ok((await shopperIds(w)).includes('tea'))
  })
})

describe('staffGoods: the staff list', () => {
  test('one item by id (the edit page): that item alone, off sale too; an unknown id is GOODS_NOT_FOUND, a malformed one INVALID_ARGUMENT', async () => {
    const w = world()
    const one = await listStaffGoods(w, { id: 'old', limit: 1 })
    assert.deepEqual(
      one.items.map((g) => [g._id, g.onSale, g.pics]),
      [['old', false, ['/o.png']]],
    )
    assert.equal(one.nextCursor, null)
    await refused(listStaffGoods(w, { id: 'nope' }), 'GOODS_NOT_FOUND', '商品不存在')
    for (const id of ['../x', 42, null]) await refused(listStaffGoods(w, { id }), 'INVALID_ARGUMENT', BAD_REQUEST)
  })

  test('offset paging: two-digit cursors, no next page when the rest fits exactly; malformed cursors refused', async (t) => {
    captureConsole(t)
    const w = world()
    for (let i = 0; i < 9; i++) await save(w, `list-req-00${i}`, { name: `商品${i}` })
    assert.equal(w.goods.goods.length, 12)
    const first = await listStaffGoods(w, { limit: 5 })
    assert.deepEqual([first.items.length, first.nextCursor], [5, '5'])
    const exact = await listStaffGoods(w, { limit: 6, cursor: '6' })
    assert.deepEqual([exact.items.length, exact.nextCursor], [6, null])
    const tail = await listStaffGoods(w, { limit: 5, cursor: '10' })
    assert.deepEqual(
      tail.items.map((g) => g._id),
      ['old', 'tea'],
    )
    assert.equal(tail.nextCursor, null)
    for (const cursor of ['x5', '5x', '1234567', 5]) await refused(listStaffGoods(w, { cursor }), 'INVALID_ARGUMENT', BAD_REQUEST)
  })
})
