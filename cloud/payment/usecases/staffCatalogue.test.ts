// The staff console's catalogue, reconcile runs and `me`, the settlement push, and goods pictures
// as URLs, on the in-memory ports (the same behaviours through the real SDK:
// cloud/functions/staffCatalogue.test.ts).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import type { Fulfilment } from '../core/fulfilment'
import type { StaffGoodsData, StaffGoodsView, StaffReconcileStatus, StaffRunReconcileData } from '../staffContracts'
import { pictureUrls } from '../adapters/pictureUrls'
import type { OrderRecord } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { MemoryAudit, MemoryHistory, memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { consoleExtras, type MemoryPictures, type MemoryRuns } from '../testing/staffConsoleMemory'
import { createOrder } from './createOrder'
import { RECONCILE_LEASE_MS, recordedReconcile } from './reconcile'
import { applySettlement } from './settlement'
import { staffConsole, type StaffConsoleDeps } from './staff'
import { goodsIdOf } from './staffGoods'
import { REQUEST_REUSED } from './staffActions'

type World = MemoryWorld & StaffConsoleDeps & { audit: MemoryAudit; pictures: MemoryPictures; runs: MemoryRuns }

function world(): World {
  const w = memoryWorld()
  const history = new MemoryHistory(w.clock)
  const audit = new MemoryAudit()
  return Object.assign(w, { audit, history, events: history }, consoleExtras(w.goods, audit)) as World
}

const run = <T>(w: World, event: Record<string, unknown>, who = 'staff-1') => staffConsole(w, who, event) as Promise<T>
const save = (w: World, requestId: string, fields: Record<string, unknown> = {}) =>
  run<StaffGoodsView>(w, {
    action: 'saveGoods',
    requestId,
    name: '滤杯',
    description: '',
    priceFen: 8800,
    pics: ['cloud://env.b/goods/a.png'],
    onSale: true,
    ...fields,
  })
const ADDRESS = { recipient: '李四', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 2 号' }

describe('staff console: the gate and me', () => {
  test('every new action refuses a shopper before anything is read or written', async () => {
    const w = world()
    const before = structuredClone({ goods: w.goods.goods, audit: [...w.audit.records], runs: [...w.runs.runs] })
    let reads = 0
    const get = w.catalogue.get.bind(w.catalogue)
    w.catalogue.get = async (id) => (reads++, get(id))
    for (const event of [
      { action: 'me' },
      { action: 'goods' },
      { action: 'saveGoods', requestId: 'req-000001', name: 'x', priceFen: 1, pics: [], onSale: true },
      { action: 'setOnSale', requestId: 'req-000002', id: 'coffee', onSale: false },
      { action: 'reconcileStatus' },
      { action: 'runReconcile', requestId: 'req-000003' },
    ])
      await refusal(run(w, { ...event, openid: 'staff-1', _openid: 'staff-1' }, 'shopper-1'), 'FORBIDDEN')
    assert.equal(reads, 0)
    assert.deepEqual(structuredClone({ goods: w.goods.goods, audit: [...w.audit.records], runs: [...w.runs.runs] }), before)
  })

  test('me: staff true', async () => {
    assert.deepEqual(await run(world(), { action: 'me' }), { staff: true })
  })
})

describe('staff console: goods', () => {
  test('create: an id made from the requestId, the cover from pics, URLs for the pictures, audited with the staff OPENID', async () => {
    const w = world()
    const view = await save(w, 'create-0001', { pics: ['cloud://env.b/goods/a.png', '/static/goods/mug.png'] })
    assert.equal(view._id, goodsIdOf('create-0001'))
    assert.deepEqual(view.picUrls, ['https://tmp.example/a.png', '/static/goods/mug.png'])
    assert.equal(view.createdAt, new Date(w.clock.now()).toISOString())
    const stored = w.goods.goods.find((g) => g._id === view._id)
    assert.equal(stored?.pic, 'cloud://env.b/goods/a.png')
    const record = await w.consoleAudit.get('create-0001')
    assert.equal(record?.staff, 'staff-1')
    assert.equal(record?.action, 'saveGoods')
    assert.equal(record?.goodsId, view._id)
    assert.equal(record?.outcome, 'ok')
  })

  test('a retry creates nothing more; a requestId reused for other content or another action is refused', async () => {
    const w = world()
    await save(w, 'create-0002')
    const count = w.goods.goods.length
    await save(w, 'create-0002')
    assert.equal(w.goods.goods.length, count)
    const reused = await refusal(save(w, 'create-0002', { priceFen: 1 }), 'INVALID_ARGUMENT')
    assert.equal(reused.message, REQUEST_REUSED)
    await refusal(run(w, { action: 'setOnSale', requestId: 'create-0002', id: 'coffee', onSale: false }), 'INVALID_ARGUMENT')
    assert.equal(w.goods.goods.find((g) => g._id === 'coffee')?.onSale, true)
  })

  test('an order request id cannot be reused for goods, nor goods for an order action', async () => {
    const w = world()
    await w.audit.record({ requestId: 'ship-req-01', staff: 'staff-1', action: 'ship', outTradeNo: 'x', input: {}, outcome: 'ok', at: new Date() })
    await refusal(save(w, 'ship-req-01'), 'INVALID_ARGUMENT')
    await save(w, 'goods-req-01')
    const order = '2026112810000012345678901234'
    w.orders.put(storedOrder({ outTradeNo: order, status: 'SUCCESS', transactionId: 'wx-1' }, w.clock))
    const shipped = await refusal(
      run(w, { action: 'ship', outTradeNo: order, requestId: 'goods-req-01', carrier: 'SF', trackingNo: 'SF123456' }),
      'INVALID_ARGUMENT',
    )
    assert.equal(shipped.message, REQUEST_REUSED)
  })

  test('edit: fields replaced, the cover follows pics, updatedAt moves; a later retry of an edit changes nothing more', async () => {
    const w = world()
    const edit = { id: 'tea', name: '红茶（新）', priceFen: 3100, pics: ['/static/goods/t.png'], onSale: true }
    w.clock.advance(1000)
    const view = await save(w, 'edit-00001', edit)
    assert.equal(view.name, '红茶（新）')
    assert.equal(view.priceFen, 3100)
    assert.equal(w.goods.goods.find((g) => g._id === 'tea')?.pic, '/static/goods/t.png')
    assert.equal(view.createdAt, null, 'made outside the console')
    assert.equal(view.updatedAt, new Date(w.clock.now()).toISOString())
    await run(w, { action: 'setOnSale', requestId: 'edit-00002', id: 'tea', onSale: false })
    const again = await save(w, 'edit-00001', edit)
    assert.equal(again.onSale, false, 'the retry did not put it back on sale')
  })

  test('refusals name the field in staff words; nothing is written or recorded', async () => {
    const w = world()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, '请填写商品名称'],
      [{ name: '一\n二' }, '商品名称不能换行或包含特殊字符'],
      [{ description: 'x'.repeat(201) }, '商品描述最多 200 个字'],
      [{ description: '第一段\n第二段' }, '商品描述不能换行或包含特殊字符'],
      [{ description: 'a\u0007' }, '商品描述不能换行或包含特殊字符'],
      [{ priceFen: undefined }, '请填写价格'],
      [{ priceFen: -1 }, '价格应大于 0 元'],
      [{ priceFen: 0.5 }, '价格格式不正确，最多两位小数'],
      [{ priceFen: 10_000_001 }, '价格不能超过 100000 元'],
      [{ pics: Array.from({ length: 10 }, (_, i) => `/static/goods/${i}.png`) }, '商品图片最多 9 张'],
      [{ pics: ['/static/goods/a.png', 'javascript:x'] }, '第 2 张商品图片无效，请重新上传'],
      [{ pics: ['/static/goods/a.png', '/static/goods/a.png'] }, '商品图片有重复，请删除重复的图片'],
      [{ onSale: 1 }, '请选择上架状态'],
    ]
    const before = structuredClone(w.goods.goods)
    for (const [fields, message] of cases) {
      const error = await refusal(save(w, 'bad-00001', fields), 'INVALID_ARGUMENT')
      assert.equal(error.message, message, JSON.stringify(fields))
    }
    await refusal(save(w, 'bad-00002', { requestId: 'short' }), 'INVALID_ARGUMENT')
    await refusal(save(w, 'bad-00003', { id: '../x' }), 'INVALID_ARGUMENT')
    assert.deepEqual(w.goods.goods, before)
    assert.equal(w.audit.records.size, 0)
    // Spaces around are trimmed; 200 characters (一 counts one) are fine.
    assert.equal((await save(w, 'ok-000001', { description: ` ${'茶'.repeat(200)} ` })).description, '茶'.repeat(200))
  })

  test('editing or switching an unknown item: GOODS_NOT_FOUND, recorded as that', async () => {
    const w = world()
    await refusal(save(w, 'missing-01', { id: 'nope' }), 'GOODS_NOT_FOUND')
    await refusal(run(w, { action: 'setOnSale', requestId: 'missing-02', id: 'nope', onSale: true }), 'GOODS_NOT_FOUND')
    assert.equal((await w.consoleAudit.get('missing-01'))?.outcome, 'GOODS_NOT_FOUND')
    assert.ok(!w.goods.goods.some((g) => g._id === 'nope'))
  })

  test('goods: every item, off sale too, newest first then the undated by id; offset paging', async () => {
    const w = world()
    await save(w, 'list-00001', { name: '一' })
    w.clock.advance(1000)
    await save(w, 'list-00002', { name: '二', onSale: false })
    const first = await run<StaffGoodsData>(w, { action: 'goods', limit: 3 })
    assert.deepEqual(
      first.items.map((g) => g.name),
      ['二', '一', '挂耳咖啡'],
    )
    assert.equal(first.nextCursor, '3')
    const rest = await run<StaffGoodsData>(w, { action: 'goods', limit: 3, cursor: first.nextCursor })
    assert.deepEqual(
      rest.items.map((g) => g._id),
      ['old', 'tea'],
    )
    assert.equal(rest.nextCursor, null)
    await refusal(run(w, { action: 'goods', cursor: 'abc' }), 'INVALID_ARGUMENT')
  })

  test('a price change never changes a placed order; off sale is refused at createOrder', async () => {
    const w = world()
    const made = await save(w, 'price-0001', { priceFen: 1000 })
    const deps = { ...w, goods: w.goods }
    const placed = await createOrder(
      deps,
      { openid: 'shopper-1', appid: 'wx1', clientIp: '127.0.0.1' },
      { items: [{ goodsId: made._id, quantity: 2 }], address: ADDRESS },
    )
    await save(w, 'price-0002', { id: made._id, priceFen: 5000, name: '新名字' })
    const order = w.orders.docs.get(placed.outTradeNo)
    assert.equal(order?.totalFee, fen(2000))
    assert.deepEqual(order?.items[0], { goodsId: made._id, name: '滤杯', priceFen: fen(1000), quantity: 2, pic: 'cloud://env.b/goods/a.png' })
    await run(w, { action: 'setOnSale', requestId: 'price-0003', id: made._id, onSale: false })
    await refusal(
      createOrder(deps, { openid: 'shopper-2', appid: 'wx1', clientIp: '127.0.0.1' }, { items: [{ goodsId: made._id, quantity: 1 }], address: ADDRESS }),
      'GOODS_NOT_FOUND',
    )
  })
})

describe('goods pictures as URLs (the console’s picUrls)', () => {
  test('pictureUrls: batches of 50, cached for half the asked life; a failed lookup keeps a URL that still works, else ""', async (t) => {
    const logs = captureConsole(t)
    let now = 0
    const asked: string[][] = []
    let fail = false
    const urls = pictureUrls(
      async (ids) => {
        asked.push(ids)
        if (fail) throw new Error('network down')
        return { fileList: ids.map((fileID) => ({ fileID, tempFileURL: fileID.endsWith('gone.png') ? '' : `https://t/${fileID.slice(-5)}` })) }
      },
      () => now,
    )
    const ids = Array.from({ length: 60 }, (_, i) => `cloud://e.b/goods/${String(i).padStart(2, '0')}.png`)
    const first = await urls.urls([...ids, '/static/goods/x.png', ids[0]!])
    assert.deepEqual(
      asked.map((a) => a.length),
      [50, 10],
    )
    assert.equal(first[0], 'https://t/0.png')
    assert.equal(first[60], '/static/goods/x.png')
    assert.equal(first[61], first[0])
    await urls.urls(ids)
    assert.equal(asked.length, 2, 'cached')
    now += 3600_000 + 1
    fail = true
    assert.deepEqual(await urls.urls([ids[0]!]), ['https://t/0.png'], 'asked again, failed: the URL still works for an hour')
    assert.equal(asked.length, 3)
    assert.match(logs.warn.join('\n'), /getTempFileURL failed/)
    now += 3600_000
    assert.deepEqual(await urls.urls([ids[0]!]), [''], 'failed again and the URL has expired')
    fail = false
    assert.deepEqual(await urls.urls([ids[0]!]), ['https://t/0.png'])
    assert.deepEqual(await urls.urls(['cloud://e.b/goods/gone.png']), [''])
  })
})

describe('reconcile runs', () => {
  const options = { unpaidAfterMs: 600_000, refundsAfterMs: 300_000 }

  test('each run is recorded with what it found; the lease is given back', async () => {
    const w = world()
    const result = await recordedReconcile(w, options, {}, { id: 'timer-1', trigger: 'timer', by: null })
    assert.equal(result.busy, undefined)
    const status = await run<StaffReconcileStatus>(w, { action: 'reconcileStatus' })
    assert.equal(status.running, false)
    assert.equal(status.last?.id, 'timer-1')
    assert.equal(status.last?.trigger, 'timer')
    assert.deepEqual(status.last?.counts, { checked: 0, paid: 0, closed: 0, refundsSettled: 0, latePayments: 0, received: 0, shippingUploads: 0, errors: 0 })
    assert.equal(await w.runs.held(w.clock.now()), false)
  })

  test('while the lease is held nothing runs (busy); after it expires a run goes ahead', async () => {
    const w = world()
    await w.runs.acquire('other', w.clock.now(), w.clock.now() + RECONCILE_LEASE_MS)
    const busy = await recordedReconcile(w, options, {}, { id: 'timer-2', trigger: 'timer', by: null })
    assert.equal(busy.busy, true)
    assert.equal(w.runs.runs.size, 0)
    const asked = await run<StaffRunReconcileData>(w, { action: 'runReconcile', requestId: 'run-000001' })
    assert.deepEqual(asked, { ran: false, running: true, run: null })
    assert.equal(w.audit.records.size, 0, 'nothing ran, nothing recorded')
    w.clock.advance(RECONCILE_LEASE_MS)
    const ran = await run<StaffRunReconcileData>(w, { action: 'runReconcile', requestId: 'run-000001' })
    assert.equal(ran.ran, true)
    assert.equal(ran.run?.by, 'staff-1')
    assert.equal(ran.run?.trigger, 'staff')
    assert.equal((await w.consoleAudit.get('run-000001'))?.action, 'runReconcile')
    const again = await run<StaffRunReconcileData>(w, { action: 'runReconcile', requestId: 'run-000001' })
    assert.equal(again.ran, false)
    assert.equal(again.run?.id, 'staff-run-000001')
  })

  test('a malformed event is refused before it takes the lease or records a run', async () => {
    const w = world()
    await refusal(recordedReconcile(w, options, { olderThanSeconds: -1 }, { id: 'staff-x', trigger: 'staff', by: 'staff-1' }), 'INVALID_ARGUMENT')
    assert.equal(w.runs.lease, null)
    assert.equal(w.runs.runs.size, 0)
  })

  test('a run that throws is recorded with the error and gives the lease back', async (t) => {
    captureConsole(t)
    const w = world()
    w.orders.listUnpaid = async () => {
      throw new Error('database down')
    }
    await assert.rejects(recordedReconcile(w, options, {}, { id: 'timer-3', trigger: 'timer', by: null }), /database down/)
    const status = await run<StaffReconcileStatus>(w, { action: 'reconcileStatus' })
    assert.equal(status.last?.counts.errors, 1)
    assert.match(status.last?.errors[0]?.message ?? '', /database down/)
    assert.equal(status.running, false)
  })

  test('errors found are recorded (at most 50) with their orders', async () => {
    const w = world()
    for (let i = 0; i < 55; i++) {
      const no = `20261128100000123456789${String(10000 + i)}`
      w.orders.put(storedOrder({ outTradeNo: no, createdAt: new Date(w.clock.now() - 3600_000) }, w.clock))
    }
    w.gateway.queryOrder = async () => {
      throw new Error('gateway down')
    }
    const result = await recordedReconcile(w, options, {}, { id: 'timer-4', trigger: 'timer', by: null }).catch((e: unknown) => e)
    assert.ok(!(result instanceof Error))
    const last = await w.runs.last()
    assert.equal(last?.result?.errors.length, 50)
    assert.equal((await run<StaffReconcileStatus>(w, { action: 'reconcileStatus' })).last?.counts.errors, 50)
  })
})

describe('the settlement push', () => {
  const NO = '2026112810000012345678909999'
  const shipped = (w: World, overrides: Partial<OrderRecord> = {}) =>
    w.orders.put(
      storedOrder(
        {
          outTradeNo: NO,
          status: 'SUCCESS',
          transactionId: 'wx-t9',
          fulfilment: { state: 'SHIPPED', carrier: 'SF', trackingNo: 'SF1', shippedAt: new Date(w.clock.now() - 3600_000) } as Fulfilment,
          ...overrides,
        },
        w.clock,
      ),
    )
  const push = (fields: Record<string, unknown> = {}) => ({
    MsgType: 'event',
    Event: 'trade_manage_order_settlement',
    transaction_id: 'wx-t9',
    merchant_id: '1900000109',
    merchant_trade_no: NO,
    confirm_receive_method: 2,
    confirm_receive_time: 0,
    ...fields,
  })

  test('from the platform (no OPENID): SHIPPED → RECEIVED once, at WeChat’s time when sane', async (t) => {
    captureConsole(t)
    const w = world()
    shipped(w)
    const at = Math.floor((w.clock.now() - 60_000) / 1000)
    assert.deepEqual(await applySettlement(w, null, push({ confirm_receive_time: at })), { outTradeNo: NO, outcome: 'received' })
    assert.equal(w.orders.docs.get(NO)?.fulfilment?.state, 'RECEIVED')
    assert.equal(w.orders.docs.get(NO)?.fulfilment?.receivedAt?.getTime(), at * 1000)
    assert.deepEqual(await applySettlement(w, null, push()), { outTradeNo: NO, outcome: 'already' })
  })

  test('method 1 from the platform is WeChat’s automatic confirmation; a time in the future is replaced by now', async (t) => {
    captureConsole(t)
    const w = world()
    shipped(w)
    await applySettlement(w, null, push({ confirm_receive_method: 1, confirm_receive_time: Math.floor(w.clock.now() / 1000) + 3600 }))
    assert.equal(w.orders.docs.get(NO)?.fulfilment?.autoReceived, true)
    assert.equal(w.orders.docs.get(NO)?.fulfilment?.receivedAt?.getTime(), w.clock.now())
  })

  test('ignored: not shipped, unknown order, a different transaction or merchant, not an order number', async (t) => {
    captureConsole(t)
    for (const [setup, event] of [
      [{ fulfilment: { state: 'PENDING' } as Fulfilment }, push()],
      [{}, push({ transaction_id: 'wx-other' })],
      [{}, push({ merchant_id: '1900000999' })],
      [{}, push({ merchant_trade_no: '2026112810000012345678900000' })],
      [{}, push({ merchant_trade_no: 'not ours!' })],
    ] as Array<[Partial<OrderRecord>, Record<string, unknown>]>) {
      const w = world()
      shipped(w, setup)
      const before = structuredClone(w.orders.docs.get(NO))
      assert.equal((await applySettlement(w, null, event)).outcome, 'ignored', JSON.stringify(event))
      assert.deepEqual(w.orders.docs.get(NO), before)
    }
  })

  test('with an OPENID (a client call): anyone but the payer is FORBIDDEN; the payer’s is their own confirmation, never automatic', async (t) => {
    captureConsole(t)
    const w = world()
    shipped(w)
    const before = structuredClone(w.orders.docs.get(NO))
    for (const who of ['shopper-2', 'staff-1']) await refusal(applySettlement(w, who, push()), 'FORBIDDEN')
    // Unknown order, another caller: the same FORBIDDEN, so it tells nothing about which orders exist.
    await refusal(applySettlement(w, 'shopper-2', push({ merchant_trade_no: '2026112810000012345678900000' })), 'FORBIDDEN')
    assert.deepEqual(w.orders.docs.get(NO), before)
    assert.equal((await applySettlement(w, 'shopper-1', push({ confirm_receive_method: 1 }))).outcome, 'received')
    assert.equal(w.orders.docs.get(NO)?.fulfilment?.autoReceived ?? false, false)
  })
})
