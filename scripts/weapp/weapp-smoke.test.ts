/**
 * Weapp smoke test: the compiled mini program (`dist/weapp`) starts, its home page calls the
 * cloud function `listGoods`, and the goods in the database end up in the page's data; the goods
 * page, the checkout (WeChat's address book, createOrder, WeChat's cashier, the redirect) and
 * the payment result page work as a shopper taps through them.
 *
 * Real: the whole compiled bundle (Taro runtime, React, the app's pages, stores, services), and
 * the local cloud (HTTP gateway, function runner with the built `dist/cloudfunctions`,
 * wx-server-sdk, database emulator with its seeded goods).
 * Stand-in: the WeChat base library — App/Page/Component, page instances, the page stack, taps
 * and `wx.*`, with `wx.cloud.callFunction` sent over HTTP to the local cloud, the address book
 * answered by each test, and the cashier paying through the local cloud's pay simulator (see
 * ./harness.ts). Nothing is drawn: the checks read the data Taro gives `setData`, which is what
 * base.wxml would render.
 *
 * Run: node --import tsx --test scripts/weapp/weapp-smoke.test.ts   (or npx tsx scripts/run-tests.ts weapp)
 * dist/weapp and dist/cloudfunctions are built when missing; WEAPP_SMOKE_BUILD=1 rebuilds
 * dist/weapp first; WEAPP_SMOKE_VERBOSE=1 echoes the bundle's console.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { isDeepStrictEqual } from 'node:util'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import type { DeliveryAddress } from '../../cloud/payment/contracts'
import { loadMiniProgram, type CashierAnswer, type HarnessOptions, type MiniProgram, type PageHandle, type WechatAddress } from './harness'

const DIST = path.join(ROOT, 'dist', 'weapp')
const HOME = 'pages/index/index'
const GOODS = 'pages/goods/index'
const CHECKOUT = 'pages/checkout/index'
const RESULT = 'pages/result/index'
/** The shopper every mini program here is: the local cloud sees it as `X-WX-OPENID`. */
const SHOPPER = 'weapp-smoke-user'
/** What WeChat's address book hands over … */
const WECHAT_ADDRESS: WechatAddress = {
  userName: '张三',
  telNumber: '13800138000',
  provinceName: '广东省',
  cityName: '深圳市',
  countyName: '南山区',
  detailInfo: '科技园路 1 号',
  postalCode: '518057',
}
/** … and the delivery address it is. */
const DELIVERY: DeliveryAddress = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }
const verbose = process.env['WEAPP_SMOKE_VERBOSE'] === '1'

let cloud: TestCloud
let onSaleNames: string[] = []
/** The goods the goods and checkout pages are opened for, as the database holds it. */
let mug = { name: '', priceFen: 0 }
const opened: MiniProgram[] = []

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`))))
  })
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

function start(options: Partial<HarnessOptions> = {}): MiniProgram {
  const mp = loadMiniProgram({ distDir: DIST, cloudUrl: cloud.url, openid: SHOPPER, verbose, ...options })
  opened.push(mp)
  return mp
}

const TEST_TIMEOUT = { timeout: 30_000 }

/**
 * Whether the page shows `name`: in one text node, or across neighbouring ones (a price is drawn
 * as ¥, yuan and fen in their own spans). The markup around it is the page's business.
 */
function shows(page: PageHandle, name: string): boolean {
  const texts = page.texts()
  return texts.some((text) => text.includes(name)) || texts.join('').includes(name)
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

function assertClean(mp: MiniProgram): void {
  assert.deepEqual(
    mp.unexpected.map((c) => c.api),
    [],
    'the bundle called wx APIs the harness does not implement (add a stand-in in scripts/weapp/harness.ts)',
  )
  assert.deepEqual(mp.errors.map(String), [], 'the bundle threw or misused setData')
  assert.deepEqual(
    mp.logs.filter((l) => l.level === 'error').map((l) => l.message),
    [],
    'the bundle logged errors',
  )
}

before(async (t) => {
  if (!existsSync(path.join(ROOT, 'dist', 'cloudfunctions', 'listGoods', 'index.js'))) {
    await run('npx', ['tsx', 'scripts/build-functions.ts'])
  }
  if (process.env['WEAPP_SMOKE_BUILD'] === '1' || !existsSync(path.join(DIST, 'app.js'))) {
    await run('npx', ['taro', 'build', '--type', 'weapp'])
  } else if (newestMtime(path.join(ROOT, 'src')) > statSync(path.join(DIST, 'app.js')).mtimeMs) {
    const note = 'dist/weapp is older than src/: testing the old build (WEAPP_SMOKE_BUILD=1 or npm run build:weapp to rebuild)'
    if ('diagnostic' in t) t.diagnostic(note)
    else console.warn(note)
  }
  cloud = await startTestCloud()
  const goods = cloud.engine.find('goods', { onSale: true })
  onSaleNames = goods.map((g) => g['name']).filter((n): n is string => typeof n === 'string')
  // listGoods pages by 20: with more on sale the home page would rightly show only the first page.
  assert.ok(onSaleNames.length > 0 && onSaleNames.length <= 20, `the seeded database has ${onSaleNames.length} goods on sale`)
  const mugDoc = cloud.engine.getById('goods', 'goods-mug')?.doc
  assert.ok(typeof mugDoc?.['name'] === 'string' && typeof mugDoc['priceFen'] === 'number', 'the seeded database has goods-mug')
  mug = { name: mugDoc['name'], priceFen: mugDoc['priceFen'] }
})

after(async () => {
  for (const mp of opened) mp.dispose()
  await cloud?.stop()
})

test('the home page shows the goods listGoods returns, and only once the cloud has answered', TEST_TIMEOUT, async () => {
  let held = false
  const release = deferred()
  const mp = start({
    beforeCallFunction: async (name) => {
      if (name !== 'listGoods') return
      held = true
      await release.promise
    },
  })
  const page = mp.launch(HOME)

  // Rendered, and listGoods is on its way but held: no goods yet.
  await mp.waitFor(() => held && page.patches.length > 0, 'a listGoods call and the first setData')
  for (const name of onSaleNames) assert.ok(!shows(page, name), `"${name}" is shown before listGoods answered`)

  release.resolve()
  await mp.waitFor(() => onSaleNames.every((name) => shows(page, name)), `every goods name on sale (${onSaleNames.join(', ')}) in the page data`)

  const calls = mp.cloudCalls.filter((c) => c.name === 'listGoods')
  assert.equal(calls.length, 1, 'one listGoods call on mount')
  assert.equal(calls[0]?.status, 200)
  const result = calls[0]?.result as { ok?: unknown; data?: { items?: Array<{ name?: unknown }> } } | undefined
  assert.equal(result?.ok, true)
  assert.deepEqual(result?.data?.items?.map((i) => i.name).sort(), [...onSaleNames].sort(), 'listGoods answered what the database holds')

  const apis = mp.wxCalls.map((c) => c.api)
  assert.ok(
    apis.indexOf('cloud.init') !== -1 && apis.indexOf('cloud.init') < apis.indexOf('cloud.callFunction'),
    `wx.cloud.init before callFunction: ${apis.join(', ')}`,
  )
  assertClean(mp)
})

test('pull-down refresh calls listGoods again and stops the refresh', TEST_TIMEOUT, async () => {
  const mp = start()
  const page = mp.launch(HOME)
  await mp.waitFor(() => onSaleNames.every((name) => shows(page, name)), 'the goods')
  page.trigger('onPullDownRefresh')
  await mp.waitFor(() => mp.wxCalls.some((c) => c.api === 'stopPullDownRefresh'), 'wx.stopPullDownRefresh')
  assert.equal(mp.cloudCalls.filter((c) => c.name === 'listGoods' && c.status === 200).length, 2)
  assert.ok(
    onSaleNames.every((name) => shows(page, name)),
    'the goods are still shown',
  )
  assertClean(mp)
})

test('a failed listGoods shows an error state, not goods', TEST_TIMEOUT, async () => {
  const mp = start({
    beforeCallFunction: (name) => {
      if (name === 'listGoods') throw new Error('network down (simulated by the smoke test)')
    },
  })
  const page = mp.launch(HOME)
  await mp.waitFor(() => mp.cloudCalls.some((c) => c.name === 'listGoods' && c.error !== undefined), 'the failed listGoods call')
  // The wording belongs to the page; any failure text or a retry control will do.
  await mp.waitFor(() => page.texts().some((text) => /失败|重试|错误/.test(text)), 'an error message or a retry button in the page data')
  for (const name of onSaleNames) assert.ok(!shows(page, name), `"${name}" is shown although listGoods failed`)
  assertClean(mp)
})

// --- goods, checkout and payment result

/** How the pages write money: ¥45.00. */
const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`

const callsOf = (mp: MiniProgram, api: string) => mp.wxCalls.filter((c) => c.api === api)
const argOf = (call: { args: unknown[] } | undefined): Record<string, unknown> => (call?.args[0] ?? {}) as Record<string, unknown>
const storedOrder = (outTradeNo: string): Record<string, unknown> | undefined => cloud.engine.getById('orders', outTradeNo)?.doc

/** WeChat's cashier, where the shopper does `answer`; it knows the trade by its prepay id, as WeChat Pay does. */
function cashier(answer: CashierAnswer): NonNullable<HarnessOptions['cashier']> {
  return {
    answer: () => answer,
    outTradeNoOf: (prepayId) => {
      const trade = cloud.engine.find('_sim_trades', { prepayId })[0]
      return typeof trade?.['outTradeNo'] === 'string' ? trade['outTradeNo'] : undefined
    },
  }
}

/** An order of one mug made by the shopper straight through the local cloud's gateway. */
async function orderOverHttp(): Promise<string> {
  const res = await fetch(`${cloud.url}/api/functions/createOrder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-WX-OPENID': SHOPPER },
    body: JSON.stringify({ items: [{ goodsId: 'goods-mug', quantity: 1 }], address: DELIVERY }),
  })
  const body = (await res.json()) as { ok?: unknown; data?: { outTradeNo?: unknown } }
  assert.equal(res.status, 200)
  assert.equal(body.ok, true, `createOrder answered ${JSON.stringify(body)}`)
  assert.equal(typeof body.data?.outTradeNo, 'string')
  return body.data?.outTradeNo as string
}

async function openCheckout(mp: MiniProgram): Promise<PageHandle> {
  const page = mp.launch(CHECKOUT, { goodsId: 'goods-mug', quantity: '1' })
  await mp.waitFor(() => shows(page, mug.name) && shows(page, yuan(mug.priceFen)) && shows(page, '添加收货地址'), 'the mug and 添加收货地址 on the checkout')
  return page
}

/** Checkout with WeChat's address, then 提交订单: resolves on the page redirectTo opened, with the order number. */
async function buyWithAddress(mp: MiniProgram): Promise<{ checkout: PageHandle; result: PageHandle; outTradeNo: string }> {
  const checkout = await openCheckout(mp)
  assert.equal(mp.cloudCalls.filter((c) => c.name === 'createOrder').length, 0, 'no order before 提交订单')
  checkout.tap(/添加收货地址/)
  await mp.waitFor(() => shows(checkout, DELIVERY.recipient) && shows(checkout, DELIVERY.detail), 'the address chosen in WeChat on the checkout')
  assert.ok(!shows(checkout, '添加收货地址'), 'the address replaced 添加收货地址')
  checkout.tap('提交订单')
  await mp.waitFor(() => mp.currentPage()?.route === RESULT, 'the result page after 提交订单', 10_000)
  const created = mp.cloudCalls.filter((c) => c.name === 'createOrder')
  assert.equal(created.length, 1, 'one createOrder for one 提交订单')
  const result = created[0]?.result as { ok?: unknown; data?: { outTradeNo?: unknown } } | undefined
  assert.equal(result?.ok, true, `createOrder answered ${JSON.stringify(result)}`)
  const outTradeNo = String(result?.data?.outTradeNo)
  return { checkout, result: mp.currentPage() as PageHandle, outTradeNo }
}

test('the goods page asks listGoods for its id, shows its name and price, and 立即购买 opens the checkout', TEST_TIMEOUT, async () => {
  const mp = start()
  const page = mp.launch(GOODS, { id: 'goods-mug' })
  await mp.waitFor(() => shows(page, mug.name) && shows(page, yuan(mug.priceFen)), `${mug.name} at ${yuan(mug.priceFen)}`)
  assert.deepEqual(
    mp.cloudCalls.filter((c) => c.name === 'listGoods').map((c) => c.data),
    [{ id: 'goods-mug' }],
    'one listGoods, for this goods',
  )
  for (const name of onSaleNames.filter((n) => n !== mug.name)) assert.ok(!shows(page, name), `"${name}" is on the page of ${mug.name}`)
  assert.ok(shows(page, '加入购物车'), '加入购物车 is offered')

  page.tap('立即购买')
  await mp.waitFor(() => mp.currentPage()?.route === CHECKOUT, 'the checkout after 立即购买')
  assert.equal(String(argOf(callsOf(mp, 'navigateTo')[0])['url']).split('?')[0], `/${CHECKOUT}`)
  const checkout = mp.currentPage() as PageHandle
  await mp.waitFor(() => shows(checkout, mug.name) && shows(checkout, '添加收货地址'), 'the mug and 添加收货地址 on the checkout')
  assert.equal(page.unloaded, false, 'navigateTo keeps the goods page under the checkout')
  assertClean(mp)
})

test('an unknown goods id shows 商品不存在 with the way back to the shop', TEST_TIMEOUT, async () => {
  const mp = start()
  const page = mp.launch(GOODS, { id: 'goods-no-such-thing' })
  await mp.waitFor(() => shows(page, '商品不存在或已下架'), 'the not-found state')
  const asked = mp.cloudCalls.filter((c) => c.name === 'listGoods')
  assert.deepEqual(
    asked.map((c) => c.data),
    [{ id: 'goods-no-such-thing' }],
  )
  assert.equal((asked[0]?.result as { error?: { code?: unknown } } | undefined)?.error?.code, 'GOODS_NOT_FOUND')
  assert.ok(!shows(page, '立即购买'), 'nothing to buy')

  page.tap('去逛逛其他商品')
  await mp.waitFor(() => mp.currentPage()?.route === HOME, 'the home page after 去逛逛其他商品')
  assert.equal(argOf(callsOf(mp, 'switchTab')[0])['url'], `/${HOME}`)
  assert.equal(page.unloaded, true, 'switchTab closed the goods page')
  const home = mp.currentPage() as PageHandle
  await mp.waitFor(() => onSaleNames.every((name) => shows(home, name)), 'the goods on the home page')
  assertClean(mp)
})

test(
  "checkout: the address from WeChat goes into createOrder, WeChat Pay gets the server's parameters, and the result page says 支付成功",
  TEST_TIMEOUT,
  async () => {
    const mp = start({ chooseAddress: () => WECHAT_ADDRESS, cashier: cashier('pay') })
    const { checkout, result, outTradeNo } = await buyWithAddress(mp)
    assert.equal(callsOf(mp, 'chooseAddress').length, 1)

    const created = mp.cloudCalls.find((c) => c.name === 'createOrder')
    const sent = created?.data as { items?: unknown; address?: unknown }
    assert.deepEqual(sent.items, [{ goodsId: 'goods-mug', quantity: 1 }])
    assert.deepEqual(sent.address, DELIVERY, 'createOrder carries the address WeChat gave')
    assert.match(outTradeNo, /^\d{6,32}$/, 'a digits-only order number')
    assert.deepEqual(storedOrder(outTradeNo)?.['address'], DELIVERY, 'the order keeps the address')

    // The cashier was opened once, with parameters exactly as the server signed them for this order.
    const payments = callsOf(mp, 'requestPayment')
    assert.equal(payments.length, 1, 'one wx.requestPayment')
    const signed = mp.cloudCalls
      .map((c) => (c.result as { data?: { outTradeNo?: unknown; payment?: unknown } } | undefined)?.data)
      .filter((data) => data?.outTradeNo === outTradeNo && data.payment)
      .map((data) => data?.payment)
    assert.ok(signed.length > 0, 'the server answered payment parameters')
    assert.ok(
      signed.some((payment) => isDeepStrictEqual(payment, payments[0]?.args[0])),
      `requestPayment got ${JSON.stringify(payments[0]?.args[0])}, the server signed ${JSON.stringify(signed)}`,
    )

    const redirects = callsOf(mp, 'redirectTo').map((c) => String(argOf(c)['url']))
    assert.equal(redirects.length, 1, `one redirectTo: ${redirects.join(', ')}`)
    assert.equal(redirects[0]?.split('?')[0], `/${RESULT}`)
    assert.equal(new URLSearchParams(redirects[0]?.split('?')[1]).get('outTradeNo'), outTradeNo)
    assert.equal(checkout.unloaded, true, 'redirectTo replaced the checkout')
    assert.equal((result.instance['options'] as Record<string, unknown>)['outTradeNo'], outTradeNo)

    await mp.waitFor(() => shows(result, '支付成功'), '支付成功 on the result page')
    assert.ok(!shows(result, '重新支付'), 'nothing left to pay')
    assert.equal(storedOrder(outTradeNo)?.['status'], 'SUCCESS')
    // The cashier says "paid" only once WeChat Pay has settled, so the first confirmPayment finds it paid.
    assert.equal(mp.cloudCalls.filter((c) => c.name === 'confirmPayment').length, 1, 'one confirmPayment after the cashier')
    assertClean(mp)
  },
)

test("a payment cancelled in WeChat's cashier lands on the result page as 支付未完成, with 重新支付", TEST_TIMEOUT, async () => {
  const mp = start({ chooseAddress: () => WECHAT_ADDRESS, cashier: cashier('cancel') })
  const { result, outTradeNo } = await buyWithAddress(mp)
  assert.equal(callsOf(mp, 'requestPayment').length, 1)
  await mp.waitFor(() => shows(result, '支付未完成') && shows(result, '重新支付'), '支付未完成 and 重新支付 on the result page')
  assert.ok(shows(result, '取消支付'), 'the page says the payment was cancelled')
  assert.ok(!shows(result, '支付成功'))
  assert.equal(mp.cloudCalls.filter((c) => c.name === 'confirmPayment').length, 0, 'nothing to confirm after a cancel')
  assert.equal(storedOrder(outTradeNo)?.['status'], 'NOTPAY')
  assertClean(mp)
})

test("closing WeChat's address book changes nothing, and 提交订单 still asks for an address", TEST_TIMEOUT, async () => {
  const mp = start({ chooseAddress: () => ({ errMsg: 'chooseAddress:fail cancel' }), cashier: cashier('pay') })
  const page = await openCheckout(mp)
  page.tap(/添加收货地址/)
  await mp.waitFor(() => callsOf(mp, 'chooseAddress').length === 1, 'wx.chooseAddress')
  await mp.idle()
  assert.ok(shows(page, '添加收货地址'), 'still no address')
  assert.deepEqual(
    mp.wxCalls.filter(
      (c) => ['showModal', 'showToast', 'openSetting'].includes(c.api) || (c.api === 'setStorageSync' && String(c.args[0]).startsWith('addresses')),
    ),
    [],
    'no dialog, no toast, no address stored',
  )

  page.tap('提交订单')
  await mp.waitFor(() => callsOf(mp, 'showToast').some((c) => argOf(c)['title'] === '请先添加收货地址'), 'the toast 请先添加收货地址')
  await mp.idle()
  assert.equal(mp.cloudCalls.filter((c) => c.name === 'createOrder').length, 0, 'no order without an address')
  assert.equal(callsOf(mp, 'requestPayment').length, 0)
  assertClean(mp)
})

test('a refused address permission asks, in a dialog, to allow it in the settings', TEST_TIMEOUT, async () => {
  const dialogs: Array<Record<string, unknown>> = []
  const mp = start({
    chooseAddress: () => ({ errMsg: 'chooseAddress:fail auth deny' }),
    confirmModal: (options) => {
      dialogs.push(options)
      return false
    },
  })
  const page = await openCheckout(mp)
  page.tap(/添加收货地址/)
  await mp.waitFor(() => callsOf(mp, 'showModal').length === 1, 'wx.showModal')
  await mp.idle()
  assert.equal(dialogs.length, 1)
  assert.match(String(dialogs[0]?.['title']), /权限/, 'the dialog says which permission')
  assert.ok(shows(page, '添加收货地址'), 'still no address')
  assert.equal(callsOf(mp, 'openSetting').length, 0, 'the shopper said no: the settings stay closed')
  assertClean(mp)
})

test('the result page of an unpaid order says 支付未完成, and 重新支付 pays it', TEST_TIMEOUT, async () => {
  const outTradeNo = await orderOverHttp()
  const mp = start({ cashier: cashier('pay') })
  const page = mp.launch(RESULT, { outTradeNo })
  await mp.waitFor(() => shows(page, '支付未完成') && shows(page, '重新支付'), '支付未完成 and 重新支付')
  assert.deepEqual(
    mp.cloudCalls.filter((c) => c.name === 'queryOrder').map((c) => c.data),
    [{ outTradeNo }],
  )
  assert.ok(!shows(page, '支付成功'))

  page.tap('重新支付')
  await mp.waitFor(() => shows(page, '支付成功'), '支付成功 after 重新支付', 10_000)
  assert.equal(callsOf(mp, 'requestPayment').length, 1)
  assert.equal(storedOrder(outTradeNo)?.['status'], 'SUCCESS')
  assertClean(mp)
})

test('the result page of a paid order says 支付成功', TEST_TIMEOUT, async () => {
  const outTradeNo = await orderOverHttp()
  // The shopper paid in WeChat's cashier; WeChat Pay notifies the shop, which marks the order paid.
  const paid = await fetch(`${cloud.url}/sim/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result: 'SUCCESS' }),
  })
  assert.equal(paid.status, 200)
  const mp = start()
  await mp.waitFor(() => storedOrder(outTradeNo)?.['status'] === 'SUCCESS', 'the payment notification to mark the order paid')
  const page = mp.launch(RESULT, { outTradeNo })
  await mp.waitFor(() => shows(page, '支付成功'), '支付成功')
  assert.ok(!shows(page, '重新支付') && !shows(page, '支付未完成'), 'nothing left to pay')
  assertClean(mp)
})

test('a shopper opening the staff console (its own subpackage) sees 无权限 and goes back to the shop', TEST_TIMEOUT, async () => {
  // A cloud with staff configured (someone else): without ADMIN_OPENIDS the console says it is not set up.
  const staffCloud = await startTestCloud({ functionEnv: { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: 'weapp-smoke-staff' } })
  after(() => staffCloud.stop())
  const mp = start({ cloudUrl: staffCloud.url })
  const page = mp.launch('pages/staff/orders/index')
  await mp.waitFor(() => shows(page, '无权限'), 'the 无权限 state')
  const asked = mp.cloudCalls.filter((c) => c.name === 'staff')
  assert.ok(asked.length > 0, 'the console asked the staff function')
  assert.ok(
    asked.every((c) => (c.result as { error?: { code?: unknown } } | undefined)?.error?.code === 'FORBIDDEN'),
    'the staff function refused the shopper',
  )
  assert.ok(!shows(page, '订单号或收货人手机号'), 'nothing of the console')
  page.tap('返回商城')
  await mp.waitFor(() => mp.currentPage()?.route === HOME, 'the home page after 返回商城')
  assertClean(mp)
})

test('app.json lists the goods, checkout and result pages and declares chooseAddress in requiredPrivateInfos', () => {
  const appJson = JSON.parse(readFileSync(path.join(DIST, 'app.json'), 'utf8')) as { pages?: unknown; requiredPrivateInfos?: unknown }
  const pages = Array.isArray(appJson.pages) ? appJson.pages : []
  for (const page of [GOODS, CHECKOUT, RESULT]) assert.ok(pages.includes(page), `app.json pages: ${JSON.stringify(pages)} lacks ${page}`)
  const declared = Array.isArray(appJson.requiredPrivateInfos) ? appJson.requiredPrivateInfos : []
  assert.ok(
    declared.includes('chooseAddress'),
    `WeChat fails wx.chooseAddress unless app.json requiredPrivateInfos declares it (has ${JSON.stringify(declared)})`,
  )
})
