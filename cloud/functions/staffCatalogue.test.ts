// The staff console's catalogue, reconcile and `me` on the local cloud through the real
// wx-server-sdk: a shopper gets FORBIDDEN for each and changes nothing; 20 concurrent repeats of
// one request save, switch or run once and are recorded once; a goods item created with an
// uploaded picture is shown to shoppers with a picture that loads and can be bought; off sale
// it is refused; a price change leaves placed orders alone. And WeChat's settlement push marks a
// shipped order received, while a shopper's forged one changes nothing.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { GoodsView, ListGoodsData, OrderView, ReconcileData } from '../payment/contracts'
import type { SettlementData, StaffGoodsData, StaffGoodsView, StaffMeData, StaffReconcileStatus, StaffRunReconcileData } from '../payment/staffContracts'
import { goodsIdOf } from '../payment/usecases/staffGoods'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { call, cloudPayEnv, data, DELIVERY_ADDRESS, simPay, storedOrder, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
let cloud: TestCloud

before(async () => {
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
})
after(() => cloud.stop())

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)
const staff = <T = StaffGoodsView>(event: Record<string, unknown>, who = STAFF) => call<T>(cloud, 'staff', event, who)
const all = (collection: string) => cloud.engine.find(collection, {}, { limit: 100_000 })
const snapshot = () => ({ goods: all('goods'), audit: all('staff_audit'), runs: all('reconcile_runs'), orders: all('orders'), events: all('payment_events') })

async function uploadPicture(name: string): Promise<string> {
  const res = await fetch(`${cloud.url}/storage/upload?path=goods/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: new Uint8Array(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(512)])),
  })
  assert.equal(res.status, 200)
  return ((await res.json()) as { fileID: string }).fileID
}

const newGoods = (requestId: string, fields: Record<string, unknown> = {}) => ({
  action: 'saveGoods',
  requestId,
  name: '手冲咖啡滤杯',
  description: '陶瓷，1–2 人份',
  priceFen: 8800,
  pics: ['/static/goods/mug.png'],
  onSale: true,
  ...fields,
})

async function order(shopper: string, goodsId: string, quantity = 1) {
  return call<{ outTradeNo: string; totalFee: number }>(cloud, 'createOrder', { items: [{ goodsId, quantity }], address: DELIVERY_ADDRESS }, shopper)
}

describe('staff console: the gate on every new action', () => {
  test('a shopper, with forged fields, gets FORBIDDEN from me, goods, saveGoods, setOnSale, reconcileStatus and runReconcile, and nothing changes', async () => {
    const made = data(await staff(newGoods('gate-goods-0001')))
    const before = snapshot()
    const forged = { _openid: STAFF, openid: STAFF, OPENID: STAFF, caller: 'staff', admins: ['ann-1'], userInfo: { openId: STAFF } }
    const events: Array<Record<string, unknown>> = [
      { action: 'me' },
      { action: 'goods' },
      newGoods('gate-goods-0002'),
      { ...newGoods('gate-goods-0003', { priceFen: 1 }), id: made._id },
      { action: 'setOnSale', requestId: 'gate-sale-0001', id: made._id, onSale: false },
      { action: 'reconcileStatus' },
      { action: 'runReconcile', requestId: 'gate-run-00001' },
    ]
    for (const event of events)
      for (const who of ['ann-1', 'staff-10', 'STAFF-1']) {
        const result = await staff({ ...event, ...forged }, who)
        assert.equal(code(result), 'FORBIDDEN', `${String(event['action'])} by ${who}`)
        assert.equal(result.ok ? '' : result.error.message, '仅商家工作人员可以操作')
      }
    assert.deepEqual(snapshot(), before)
  })

  test('me answers staff: true to staff', async () => {
    assert.deepEqual(data(await staff<StaffMeData>({ action: 'me' })), { staff: true })
  })
})

describe('staff console: goods', () => {
  test('created with an uploaded picture: listed to shoppers with a URL that loads, bought at its price, the order keeping the file id', async () => {
    const fileID = await uploadPicture('pour-over.png')
    const saved = data(await staff(newGoods('goods-pic-00001', { pics: [fileID, '/static/goods/mug.png'] })))
    assert.equal(saved._id, goodsIdOf('goods-pic-00001'))
    assert.deepEqual(saved.pics, [fileID, '/static/goods/mug.png'])
    assert.equal(saved.picUrls[0], `${cloud.url}/storage/goods/pour-over.png`)
    assert.ok(saved.createdAt)

    // Shoppers get the file id, as stored: the weapp's <Image> loads it itself, and the H5 build
    // (src/utils/assets.ts assetUrl) loads it from the local cloud's /storage/<path>.
    const list = data(await call<ListGoodsData>(cloud, 'listGoods', { limit: 50 }, 'ben-1'))
    const listed = list.items.find((g) => g._id === saved._id)
    assert.ok(listed, 'the new goods item is listed')
    assert.equal(listed.pic, fileID)
    assert.deepEqual(listed.pics, [fileID, '/static/goods/mug.png'])
    const picture = await fetch(`${cloud.url}/storage/${fileID.replace(/^cloud:\/\/[^/]+\//, '')}`)
    assert.equal(picture.status, 200)
    assert.equal(picture.headers.get('content-type'), 'image/png')
    const one = data(await call<GoodsView>(cloud, 'listGoods', { id: saved._id }, 'ben-1'))
    assert.equal(one.pic, fileID)

    const bought = data(await order('ben-1', saved._id, 2))
    assert.equal(bought.totalFee, 17_600)
    const items = storedOrder(cloud, bought.outTradeNo)?.['items'] as Array<Record<string, unknown>>
    assert.equal(items[0]?.['pic'], fileID, 'the order keeps the file id, which never expires')
  })

  test('goods lists every item, off sale too, newest first, paged', async () => {
    data(await staff(newGoods('goods-list-0001', { name: '先建的' })))
    data(await staff(newGoods('goods-list-0002', { name: '后建的', onSale: false })))
    const first = data(await staff<StaffGoodsData>({ action: 'goods', limit: 2 }))
    assert.deepEqual(
      first.items.map((g) => g.name),
      ['后建的', '先建的'],
    )
    assert.equal(first.items[0]?.onSale, false)
    assert.ok(first.nextCursor)
    const names: string[] = []
    let cursor: string | null = null
    do {
      const page: StaffGoodsData = data(await staff<StaffGoodsData>({ action: 'goods', limit: 3, ...(cursor ? { cursor } : {}) }))
      names.push(...page.items.map((g) => g._id))
      cursor = page.nextCursor
    } while (cursor)
    const stored = all('goods').map((g) => g['_id'] as string)
    assert.deepEqual([...names].sort(), [...stored].sort(), 'every goods item once, the off-sale demo item too')
    assert.ok(names.includes('goods-retired'))
  })

  test('goods with an id answers that item alone, wherever it is in the catalogue; an unknown or bad id is refused', async () => {
    // The oldest item: the last page of the list, which the edit page must not have to page through.
    const oldest = all('goods').find((g) => g['createdAt'] === undefined)!['_id'] as string
    const one = data(await staff<StaffGoodsData>({ action: 'goods', id: oldest, limit: 1 }))
    assert.deepEqual(
      one.items.map((g) => g._id),
      [oldest],
    )
    assert.equal(one.nextCursor, null)
    assert.equal(code(await staff({ action: 'goods', id: 'g-000000000000000000000000' })), 'GOODS_NOT_FOUND')
    assert.equal(code(await staff({ action: 'goods', id: 'not a goods id!' })), 'INVALID_ARGUMENT')
    assert.equal(code(await staff({ action: 'goods', id: oldest }, 'shopper-1')), 'FORBIDDEN')
  })

  test('refusals name the field in staff words and change nothing', async () => {
    const before = snapshot()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '  ' }, '请填写商品名称'],
      [{ priceFen: 0 }, '价格应大于 0 元'],
      [{ priceFen: 12.5 }, '价格格式不正确，最多两位小数'],
      [{ priceFen: '1200' }, '请填写价格'],
      [{ priceFen: 10_000_001 }, '价格不能超过 100000 元'],
      [{ pics: ['http://example.com/a.png'] }, '第 1 张商品图片无效，请重新上传'],
      [{ pics: 'cloud://x/y.png' }, '商品图片格式不正确'],
      [{ onSale: 'yes' }, '请选择上架状态'],
      [{ name: 'a'.repeat(41) }, '商品名称最多 40 个字'],
    ]
    for (const [fields, message] of cases) {
      const result = await staff(newGoods(`bad-goods-${Object.keys(fields)[0]}`, fields))
      assert.equal(code(result), 'INVALID_ARGUMENT', JSON.stringify(fields))
      assert.equal(result.ok ? '' : result.error.message, message)
    }
    assert.equal(code(await staff({ ...newGoods('edit-missing-01'), id: 'goods-nope' })), 'GOODS_NOT_FOUND')
    const after = snapshot()
    // Only the refused edit of a missing item is recorded (a definite answer); nothing else moved.
    assert.deepEqual({ ...after, audit: after.audit.filter((a) => a['_id'] !== 'edit-missing-01') }, before)
  })

  test('20 concurrent repeats of one create: one goods item, one audit record, the same answer', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => staff(newGoods('goods-race-0001', { name: '并发新建' }))))
    for (const a of answers) assert.equal(data(a)._id, goodsIdOf('goods-race-0001'))
    assert.equal(cloud.engine.find('goods', { name: '并发新建' }, { limit: 100 }).length, 1)
    assert.equal(cloud.engine.find('staff_audit', { _id: 'goods-race-0001' }, { limit: 100 }).length, 1)
  })

  test('20 concurrent repeats of an edit and of setOnSale: applied, recorded once; a request id reused for something else is refused', async () => {
    const made = data(await staff(newGoods('goods-edit-0001')))
    const edits = await Promise.all(Array.from({ length: 20 }, () => staff({ ...newGoods('goods-edit-0002', { priceFen: 9900 }), id: made._id })))
    for (const e of edits) assert.equal(data(e).priceFen, 9900)
    const offs = await Promise.all(Array.from({ length: 20 }, () => staff({ action: 'setOnSale', requestId: 'goods-off-00001', id: made._id, onSale: false })))
    for (const o of offs) assert.equal(data(o).onSale, false)
    for (const id of ['goods-edit-0002', 'goods-off-00001']) assert.equal(cloud.engine.find('staff_audit', { _id: id }, { limit: 100 }).length, 1, id)
    const audit = cloud.engine.find('staff_audit', { _id: 'goods-off-00001' }, { limit: 1 })[0]
    assert.equal(audit?.['staff'], STAFF)
    assert.equal(audit?.['action'], 'setOnSale')
    // A retry of the edit after the item changed again changes nothing more.
    data(await staff({ action: 'setOnSale', requestId: 'goods-on-000001', id: made._id, onSale: true }))
    assert.equal(data(await staff({ ...newGoods('goods-edit-0002', { priceFen: 9900 }), id: made._id })).onSale, true)
    const reused = await staff({ action: 'setOnSale', requestId: 'goods-edit-0002', id: made._id, onSale: false })
    assert.equal(code(reused), 'INVALID_ARGUMENT')
    assert.equal(cloud.engine.find('goods', { _id: made._id }, { limit: 1 })[0]?.['onSale'], true)
  })

  test('off sale: not listed, refused at createOrder; on sale again: bought', async () => {
    const made = data(await staff(newGoods('goods-sale-0001', { name: '限时上架' })))
    data(await staff({ action: 'setOnSale', requestId: 'goods-sale-0002', id: made._id, onSale: false }))
    const list = data(await call<ListGoodsData>(cloud, 'listGoods', { limit: 50 }, 'cat-1'))
    assert.ok(!list.items.some((g) => g._id === made._id))
    const refused = await order('cat-1', made._id)
    assert.equal(code(refused), 'GOODS_NOT_FOUND')
    assert.equal(refused.ok ? '' : refused.error.message, '「限时上架」已下架，请调整后再下单')
    data(await staff({ action: 'setOnSale', requestId: 'goods-sale-0003', id: made._id, onSale: true }))
    assert.equal(code(await order('cat-1', made._id)), 'ok')
  })

  test('a price change leaves a placed (and a paid) order as it was', async () => {
    const made = data(await staff(newGoods('goods-price-001', { priceFen: 1000 })))
    const placed = data(await order('dan-1', made._id, 3))
    assert.equal((await simPay(cloud, placed.outTradeNo)).body.firstAttempt?.acknowledged, true)
    data(await staff({ ...newGoods('goods-price-002', { priceFen: 2500, name: '改了名字' }), id: made._id }))
    const stored = storedOrder(cloud, placed.outTradeNo)
    assert.equal(stored?.['totalFee'], 3000)
    const items = stored?.['items'] as Array<Record<string, unknown>>
    assert.equal(items[0]?.['priceFen'], 1000)
    assert.equal(items[0]?.['name'], '手冲咖啡滤杯')
    const view = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo: placed.outTradeNo }, 'dan-1'))
    assert.equal(view.totalFee, 3000)
    assert.equal(view.items[0]?.priceFen, 1000)
    // A new order pays the new price.
    assert.equal(data(await order('dan-1', made._id, 1)).totalFee, 2500)
    // Pictures are replaced whole (two become one), and the cover follows.
    data(await staff({ ...newGoods('goods-price-003', { pics: ['/static/goods/oats.png', '/static/goods/tote.png'] }), id: made._id }))
    data(await staff({ ...newGoods('goods-price-004', { pics: ['/static/goods/sample.png'] }), id: made._id }))
    const doc = cloud.engine.find('goods', { _id: made._id }, { limit: 1 })[0]
    assert.deepEqual(doc?.['pics'], ['/static/goods/sample.png'])
    assert.equal(doc?.['pic'], '/static/goods/sample.png')
  })
})

describe('staff console: reconcile', () => {
  test('reconcileStatus shows the last run (the timer’s here) with its counts', async () => {
    const timer = await cloud.runner.invoke(
      'reconcile',
      { Type: 'Timer', TriggerName: 'reconcileEveryTenMinutes', Time: new Date().toISOString() },
      { source: 'timer' },
    )
    assert.ok(timer.ok, JSON.stringify(timer))
    const status = data(await staff<StaffReconcileStatus>({ action: 'reconcileStatus' }))
    assert.equal(status.running, false)
    assert.equal(status.last?.trigger, 'timer')
    assert.equal(status.last?.by, null)
    assert.ok(status.last?.finishedAt)
    assert.equal(typeof status.last?.counts.checked, 'number')
  })

  test('20 concurrent runReconcile of one request: one run, recorded once, audited once', async () => {
    const answers = (
      await Promise.all(Array.from({ length: 20 }, () => staff<StaffRunReconcileData>({ action: 'runReconcile', requestId: 'run-race-00001' })))
    ).map(data)
    assert.equal(answers.filter((a) => a.ran).length, 1)
    assert.equal(cloud.engine.find('reconcile_runs', { _id: 'staff-run-race-00001' }, { limit: 100 }).length, 1)
    assert.equal(cloud.engine.find('staff_audit', { _id: 'run-race-00001' }, { limit: 100 }).length, 1)
    const status = data(await staff<StaffReconcileStatus>({ action: 'reconcileStatus' }))
    assert.equal(status.last?.id, 'staff-run-race-00001')
    assert.equal(status.last?.by, STAFF)
    // A retry later runs nothing again.
    const retry = data(await staff<StaffRunReconcileData>({ action: 'runReconcile', requestId: 'run-race-00001' }))
    assert.equal(retry.ran, false)
    assert.equal(retry.run?.id, 'staff-run-race-00001')
  })

  test('concurrent runs of different requests never overlap, even before the lease exists', async () => {
    cloud.engine.remove('reconcile_runs', { _id: 'lease' }, false)
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => staff<StaffRunReconcileData>({ action: 'runReconcile', requestId: `run-conc-${1000 + i}` })),
    )
    assert.ok(answers.map(data).some((a) => a.ran))
    const runs = all('reconcile_runs')
      .filter((r) => r['_id'] !== 'lease' && (r['startedAt'] as Date).getTime() >= Date.now() - 60_000)
      .map((r) => ({ start: (r['startedAt'] as Date).getTime(), end: (r['finishedAt'] as Date).getTime() }))
      .sort((a, b) => a.start - b.start)
    assert.ok(runs.length >= 1)
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end, `run ${i} started before run ${i - 1} finished`)
  })

  test('while another run holds the lease, neither staff nor the timer starts one', async () => {
    const until = Date.now() + 60_000
    cloud.engine.replace('reconcile_runs', 'lease', { kind: 'lease', holder: 'someone-else', until })
    const asked = data(await staff<StaffRunReconcileData>({ action: 'runReconcile', requestId: 'run-busy-00001' }))
    assert.deepEqual({ ran: asked.ran, running: asked.running, run: asked.run }, { ran: false, running: true, run: null })
    assert.equal(data(await staff<StaffReconcileStatus>({ action: 'reconcileStatus' })).running, true)
    const byStaff = data(await call<ReconcileData>(cloud, 'reconcile', {}, STAFF))
    assert.equal(byStaff.busy, true)
    assert.equal(cloud.engine.find('reconcile_runs', { _id: 'staff-run-busy-00001' }, { limit: 1 }).length, 0)
    cloud.engine.replace('reconcile_runs', 'lease', { kind: 'lease', holder: 'someone-else', until: 0 })
    assert.equal(data(await staff<StaffRunReconcileData>({ action: 'runReconcile', requestId: 'run-busy-00001' })).ran, true)
  })
})

describe('the settlement push (the shopper confirmed receipt in WeChat)', () => {
  async function shippedOrder(shopper: string, requestId: string): Promise<{ outTradeNo: string; transactionId: string }> {
    const made = data(await order(shopper, 'goods-coffee'))
    assert.equal((await simPay(cloud, made.outTradeNo)).body.firstAttempt?.acknowledged, true)
    data(
      await staff<Record<string, unknown>>({
        action: 'ship',
        outTradeNo: made.outTradeNo,
        requestId,
        carrier: 'ZTO',
        trackingNo: `ZT${made.outTradeNo.slice(-8)}`,
      }),
    )
    const transactionId = storedOrder(cloud, made.outTradeNo)?.['transactionId']
    assert.equal(typeof transactionId, 'string')
    return { outTradeNo: made.outTradeNo, transactionId: transactionId as string }
  }
  const fulfilment = (no: string) => storedOrder(cloud, no)?.['fulfilment'] as Record<string, unknown>
  const settlement = (no: string, transactionId: string) => ({
    ToUserName: 'gh_x',
    FromUserName: 'eve-1',
    CreateTime: 1,
    MsgType: 'event',
    Event: 'trade_manage_order_settlement',
    transaction_id: transactionId,
    merchant_id: '1900000109',
    merchant_trade_no: no,
    confirm_receive_method: 2,
    confirm_receive_time: Math.floor(Date.now() / 1000),
  })

  test('WeChat’s push to reconcile marks a shipped order RECEIVED; delivered again it changes nothing', async () => {
    const { outTradeNo, transactionId } = await shippedOrder('fay-1', 'settle-ship-001')
    const res = await fetch(`${cloud.url}/sim/openapi/confirm-receipt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transactionId, functionName: 'reconcile' }),
    })
    const delivered = (await res.json()) as { delivered: boolean; result: Result<SettlementData>; event: Record<string, unknown> }
    assert.equal(delivered.delivered, true)
    assert.deepEqual(data(delivered.result), { outTradeNo, outcome: 'received' })
    assert.equal(fulfilment(outTradeNo)['state'], 'RECEIVED')
    assert.equal(fulfilment(outTradeNo)['autoReceived'] ?? false, false)
    const view = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo }, 'fay-1'))
    assert.equal(view.fulfilment?.state, 'RECEIVED')
    const again = await cloud.runner.invoke('reconcile', delivered.event, { source: 'wx_client' })
    assert.ok(again.ok)
    assert.deepEqual((again.result as Result<SettlementData>).ok && (again.result as { data: SettlementData }).data, { outTradeNo, outcome: 'already' })
  })

  test('a shopper’s callFunction with a forged push for someone else’s order is FORBIDDEN and changes nothing', async () => {
    const { outTradeNo, transactionId } = await shippedOrder('gus-1', 'settle-ship-002')
    const before = snapshot()
    for (const who of ['eve-1', 'staff-1']) {
      const forged = await call<SettlementData>(cloud, 'reconcile', settlement(outTradeNo, transactionId), who)
      assert.equal(code(forged), 'FORBIDDEN', who)
    }
    assert.deepEqual(snapshot(), before)
    assert.equal(fulfilment(outTradeNo)['state'], 'SHIPPED')
  })

  test('the payer’s own forged push gains nothing over confirming receipt: recorded as the shopper’s own confirmation', async () => {
    const { outTradeNo, transactionId } = await shippedOrder('hal-1', 'settle-ship-003')
    // A wrong transaction id is ignored.
    assert.equal(data(await call<SettlementData>(cloud, 'reconcile', settlement(outTradeNo, 'wx-forged'), 'hal-1')).outcome, 'ignored')
    assert.equal(fulfilment(outTradeNo)['state'], 'SHIPPED')
    const own = data(await call<SettlementData>(cloud, 'reconcile', { ...settlement(outTradeNo, transactionId), confirm_receive_method: 1 }, 'hal-1'))
    assert.equal(own.outcome, 'received')
    assert.equal(fulfilment(outTradeNo)['autoReceived'] ?? false, false)
  })
})
