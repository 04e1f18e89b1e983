// My orders and the order page in the H5 build, against a local cloud started here. Orders are
// placed and paid through the functions and the pay simulator (as the cashier sheet does); the
// shopper then works them in the browser: tabs, cancel, refund before shipping, confirm receipt,
// after-sale. Screenshots at 390×844 and 320×568 land in .test-artifacts/screenshots/.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { shipOrder } from '../../cloud/local/testing/fulfilment'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { call } from '../../cloud/local/testing/shop'
import { expectAccessible, expectTapTargets, launchBrowser, newLocalId, pageAs, screenshot, sizeName, toastGone, until, VIEWPORTS } from './browser'

let cloud: TestCloud
let browser: Browser

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'h5', 'index.html')), 'build the H5 app first: npm run build:h5 (npm test does)')
  cloud = await startTestCloud()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await cloud?.stop()
})

const ADDRESS = { recipient: '林小雨', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 478 号 2 幢 301' }

const shopperPage = (openid: string): Promise<{ page: Page; problems: string[] }> => pageAs(browser, openid)

async function place(c: TestCloud, openid: string, items: Array<{ goodsId: string; quantity: number }>): Promise<string> {
  const result = await call<{ outTradeNo: string }>(c, 'createOrder', { items, address: ADDRESS, note: '放门口快递柜' }, openid)
  assert.ok(result.ok, `createOrder: ${JSON.stringify(result)}`)
  return result.data.outTradeNo
}

const stored = (outTradeNo: string) => cloud.engine.getById('orders', outTradeNo)?.doc
const fulfilmentOf = (outTradeNo: string) => (stored(outTradeNo)?.['fulfilment'] as { state?: string } | undefined)?.state

/** Paid as a tap on 确认支付 in the cashier sheet pays: through the pay simulator; the server hears by notification. */
async function pay(outTradeNo: string): Promise<void> {
  const res = await fetch(`${cloud.url}/sim/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result: 'SUCCESS' }),
  })
  assert.equal(res.status, 200, `sim/pay: ${await res.text()}`)
  await until(`${outTradeNo} paid`, () => stored(outTradeNo)?.['status'] === 'SUCCESS' && fulfilmentOf(outTradeNo) === 'PENDING')
}

const tabOf = (page: Page, name: string) => page.locator('.orders-tabs__tab').filter({ hasText: name })

async function openTab(page: Page, name: string): Promise<void> {
  await tabOf(page, name).click()
  await page.locator('.orders-tabs__tab--on').filter({ hasText: name }).waitFor()
  await page.locator('.skeleton').waitFor({ state: 'detached' })
  await page
    .locator('.list-more')
    .filter({ hasText: /没有更多了|加载更多/ })
    .or(page.locator('.state'))
    .first()
    .waitFor()
}

/**
 * The order numbers the current tab shows, sorted: the lists are newest first by order number,
 * which orders only to the second (orders placed within one second come in any order).
 */
async function shownOrders(page: Page): Promise<string[]> {
  return (await page.locator('.order-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-no') ?? ''))).sort()
}
const sorted = (...ids: string[]): string[] => [...ids].sort()

async function openOrder(page: Page, outTradeNo: string): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/order/index?outTradeNo=${outTradeNo}`)
  await page.getByText(`订单号：${outTradeNo}`).waitFor()
}

async function confirmModal(page: Page, confirmText: string): Promise<void> {
  const button = page.locator('.taro-model__confirm').filter({ hasText: confirmText })
  await button.waitFor()
  await button.click()
}

const header = (page: Page) => page.locator('.order__status')
const bar = (page: Page) => page.locator('.order-bar')

/**
 * What a shopper would see, at 390×844 and at 320×568: axe finds nothing serious, every tap target
 * is 44×44 CSS px, and a screenshot to look at (orders-<name>-<w>x<h>.png).
 */
async function look(page: Page, name: string): Promise<void> {
  await toastGone(page)
  await page.waitForFunction(() => [...document.querySelectorAll('img')].every((img) => !img.getAttribute('src') || (img.complete && img.naturalWidth > 0)))
  for (const viewport of [VIEWPORTS.phone, VIEWPORTS.small]) {
    await page.setViewportSize(viewport)
    const label = `${name} ${sizeName(viewport)}`
    const minor = await expectAccessible(page, label)
    if (minor.length) console.log(`${label}: moderate/minor axe findings: ${minor.join(', ')}`)
    await expectTapTargets(page, label)
    await screenshot(page, `orders-${name}-${sizeName(viewport)}`)
  }
  await page.setViewportSize(VIEWPORTS.phone)
}

test('My orders tabs, cancel, refund before shipping, confirm receipt, after-sale; another shopper sees none of it', async () => {
  const shopper = newLocalId()
  const shipped = await place(cloud, shopper, [{ goodsId: 'goods-tote', quantity: 1 }])
  const toRefund = await place(cloud, shopper, [{ goodsId: 'goods-oats', quantity: 1 }])
  const toShip = await place(cloud, shopper, [{ goodsId: 'goods-one-fen', quantity: 1 }])
  const toCancel = await place(cloud, shopper, [{ goodsId: 'goods-ginger-tea', quantity: 1 }])
  const unpaid = await place(cloud, shopper, [
    { goodsId: 'goods-coffee', quantity: 2 },
    { goodsId: 'goods-mug', quantity: 1 },
  ])
  for (const order of [shipped, toRefund, toShip]) await pay(order)
  await shipOrder(cloud, shipped, { carrier: '顺丰速运', trackingNo: 'SF1234567890123' })

  const { page, problems } = await shopperPage(shopper)
  try {
    await shopperJourney(page, problems, { shipped, toRefund, toShip, toCancel, unpaid })
  } catch (error) {
    await screenshot(page, 'orders-failure') // what the shopper saw when it broke
    throw error
  }
})

async function shopperJourney(
  page: Page,
  problems: string[],
  orders: Record<'shipped' | 'toRefund' | 'toShip' | 'toCancel' | 'unpaid', string>,
): Promise<void> {
  const { shipped, toRefund, toShip, toCancel, unpaid } = orders
  // 全部: every order; one status label each, kinds not pieces.
  await page.goto(`${cloud.url}/#/pages/orders/index`)
  await page.locator('.order-row').nth(4).waitFor()
  assert.deepEqual(await shownOrders(page), sorted(unpaid, toCancel, toShip, toRefund, shipped))
  const unpaidRow = page.locator(`.order-row[data-no="${unpaid}"]`)
  assert.match(await unpaidRow.innerText(), /云南小粒咖啡豆 250g[\s\S]*等 2 种商品/, 'two kinds (three pieces)')
  assert.match(await unpaidRow.innerText(), /¥181\.00/)
  assert.equal(await unpaidRow.locator('.status-badge').innerText(), '待付款')
  assert.match(await unpaidRow.locator('.order-row__pay').innerText(), /^去支付 1:59:\d\d$/)
  assert.equal(await unpaidRow.locator('img').getAttribute('alt'), '云南小粒咖啡豆 250g', 'the thumbnail has an accessible name')
  assert.equal(await page.locator(`.order-row[data-no="${toShip}"] .status-badge`).innerText(), '待发货')
  assert.equal(await page.locator(`.order-row[data-no="${shipped}"] .status-badge`).innerText(), '待收货')
  assert.match(await page.locator(`.order-row[data-no="${toShip}"]`).innerText(), /共 1 件/)
  await look(page, '1-all')

  // Each tab is its own server-side list.
  await openTab(page, '待付款')
  assert.deepEqual(await shownOrders(page), sorted(unpaid, toCancel))
  await look(page, '2-unpaid')
  await openTab(page, '待发货')
  assert.deepEqual(await shownOrders(page), sorted(toShip, toRefund))
  await openTab(page, '待收货')
  assert.deepEqual(await shownOrders(page), sorted(shipped))
  await openTab(page, '退款售后')
  await page.getByText('没有退款或售后的订单').waitFor()
  await look(page, '3-after-sale-empty')

  // Opened on a tab (a fresh load: Taro keeps a tab page it already shows); 去支付 opens the order page, not the cashier.
  await page.goto(`${cloud.url}/#/pages/orders/index?tab=UNPAID`)
  await page.reload()
  await page.locator('.orders-tabs__tab--on').filter({ hasText: '待付款' }).waitFor()
  await page.locator(`.order-row[data-no="${unpaid}"] .order-row__pay`).click()
  await page.getByText(`订单号：${unpaid}`).waitFor()
  assert.equal(await page.locator('.cashier__sheet').count(), 0, 'the cashier opens only on 立即支付')
  await header(page).getByText('待付款').waitFor()
  await header(page)
    .getByText(/剩余支付时间 1:59:\d\d/)
    .waitFor()
  await bar(page).getByText('立即支付 ¥181.00').waitFor()
  await page.getByText('林小雨').waitFor()
  await page.getByText('139****5678').waitFor()
  assert.equal(await page.getByText('13912345678').count(), 0, 'the mobile number is masked')
  await page.getByText('备注：放门口快递柜').waitFor()
  await page.locator('.order__sum').filter({ hasText: '运费' }).getByText('¥0.00').waitFor()
  await page.locator('.order__sum--total').getByText('¥181.00').waitFor()
  await page.locator('.order__facts .copy-button').first().click()
  await page.getByText('内容已复制').waitFor()
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('taro_clipboard') ?? 'null')?.data), unpaid)
  await look(page, '4-order-unpaid')

  // 立即支付 → cashier → the result page, without anything in the URL that would pay again.
  await bar(page).getByText('立即支付 ¥181.00').click()
  await page.getByText('确认支付', { exact: true }).click()
  await page.waitForURL(/pages\/result\/index\?outTradeNo=\d+$/)
  assert.doesNotMatch(page.url(), /autopay/)
  await until('paid by the cashier', () => stored(unpaid)?.['status'] === 'SUCCESS')
  await page.goBack()
  await page.waitForTimeout(500)
  assert.equal(await page.locator('.cashier__sheet').count(), 0, 'back never reopens the cashier')

  // Cancel an unpaid order: the local pay simulator allows a close 5 minutes (scaled: 0.3 s) after creation.
  await openOrder(page, toCancel)
  await bar(page).getByText('取消订单').click()
  await confirmModal(page, '取消订单')
  await page.getByText('订单已取消', { exact: true }).waitFor()
  await header(page).getByText('已取消').waitFor()
  assert.equal(stored(toCancel)?.['status'], 'CLOSED')
  await bar(page).getByText('再次购买').waitFor()
  await look(page, '5-order-cancelled')

  // Refund before shipping: the money goes back, and the order moves to 退款售后.
  await openOrder(page, toRefund)
  await header(page).getByText('商家正在备货，发货后可在这里查看物流').waitFor()
  await look(page, '6-order-to-ship')
  await bar(page).getByText('取消并退款').click()
  await page
    .locator('.taro-modal__text')
    .getByText(/¥39\.90 将原路退回微信零钱或原支付方式/)
    .waitFor()
  await confirmModal(page, '确认退款')
  await header(page)
    .getByText(/^(退款中|已退款)$/)
    .waitFor()
  assert.equal(fulfilmentOf(toRefund), 'CANCELLED')
  assert.equal(await bar(page).count(), 0, 'nothing left to do on a refunded order')
  await look(page, '7-order-refunded')

  // Shipped: carrier and tracking number → 确认收货 → 已完成 → after-sale → 处理中.
  await openOrder(page, shipped)
  await header(page).getByText('待收货').waitFor()
  await header(page).getByText('顺丰速运 SF1234567890123').waitFor()
  await header(page)
    .getByText(/^已发货 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    .waitFor()
  await look(page, '8-order-shipped')
  await bar(page).getByText('确认收货').click()
  await confirmModal(page, '确认收货')
  await header(page).getByText('已完成').waitFor()
  await header(page)
    .getByText(/^已确认收货 /)
    .waitFor()
  assert.equal(fulfilmentOf(shipped), 'RECEIVED')

  await bar(page).getByText('申请售后').click()
  await page.getByText('提交申请').click()
  await page.locator('.after-sale-form__error').getByText('请填写售后原因').waitFor()
  const box = page.locator('.after-sale-form textarea')
  assert.equal(await box.getAttribute('aria-label'), '售后原因')
  await box.fill('坏'.repeat(201))
  await page.locator('.after-sale-form__error').getByText('售后原因最多 200 个字').waitFor()
  await page.locator('.after-sale-form__count--over').getByText('201/200').waitFor()
  await look(page, '9-after-sale-form-error')
  await box.fill('包装破损，\n杯子有裂纹')
  await page.getByText('提交申请').click()
  await page.locator('.after-sale__state').getByText('处理中').waitFor()
  await page.locator('.after-sale__reason').getByText('包装破损， 杯子有裂纹').waitFor()
  const requests = Object.values((stored(shipped)?.['afterSales'] ?? {}) as Record<string, { state: string; reason: string }>)
  assert.deepEqual(
    requests.map((r) => [r.state, r.reason]),
    [['PENDING', '包装破损， 杯子有裂纹']],
  )
  assert.equal(await bar(page).getByText('申请售后').count(), 0, 'one request at a time')
  await look(page, '10-order-after-sale')

  // 退款售后 now holds the refunded order and the one with a request; 待发货 only the other.
  await page.goto(`${cloud.url}/#/pages/orders/index?tab=AFTER_SALE`)
  await page.locator('.order-row').nth(1).waitFor()
  assert.deepEqual(await shownOrders(page), sorted(toRefund, shipped))
  assert.match(await page.locator(`.order-row[data-no="${toRefund}"] .status-badge`).innerText(), /^(退款中|已退款)$/)
  assert.equal(await page.locator(`.order-row[data-no="${shipped}"] .status-badge`).innerText(), '已完成')
  await page.locator(`.order-row[data-no="${shipped}"]`).getByText('售后处理中').waitFor()
  await look(page, '11-after-sale')
  await openTab(page, '待发货')
  assert.deepEqual(await shownOrders(page), sorted(unpaid, toShip))
  assert.deepEqual(problems, [])

  // Another shopper sees none of these orders.
  const other = await shopperPage(newLocalId())
  await other.page.goto(`${cloud.url}/#/pages/orders/index`)
  await other.page.getByText('还没有订单').waitFor()
  for (const name of ['待付款', '待发货', '待收货', '退款售后']) {
    await openTab(other.page, name)
    assert.equal(await other.page.locator('.order-row').count(), 0, `${name} is empty for another shopper`)
  }
  await other.page.goto(`${cloud.url}/#/pages/order/index?outTradeNo=${shipped}`)
  await other.page.getByText('订单不存在').waitFor()
}

test('an expired unpaid order says so once and 再次购买 puts its goods back in the cart', async () => {
  const shopper = newLocalId()
  const expired = await place(cloud, shopper, [
    { goodsId: 'goods-mug', quantity: 2 },
    { goodsId: 'goods-tote', quantity: 1 },
  ])
  // Two hours pass: the only way here without waiting them (the pay simulator does not scale order lifetimes).
  await cloud.engine.update('orders', { _id: expired }, { $set: { expireAt: new Date(Date.now() - 1000) } }, false).written

  const { page, problems } = await shopperPage(shopper)
  await openOrder(page, expired).catch(async (error: unknown) => {
    await screenshot(page, 'orders-failure-expired')
    throw new Error(`${String(error)}\n${problems.join('\n')}`)
  })
  await header(page).getByText('已取消').waitFor()
  await header(page).getByText('订单已超时关闭').waitFor()
  assert.equal(
    await bar(page)
      .getByText(/立即支付|取消订单/)
      .count(),
    0,
  )
  await look(page, '12-order-expired')
  await bar(page).getByText('再次购买').click()
  await page.locator('.cart-line').filter({ hasText: '景德镇白瓷马克杯' }).waitFor()
  await page.locator('.cart-line').filter({ hasText: '帆布托特包' }).waitFor()
  assert.equal(await page.locator('.cart-line').count(), 2)
})

test('cancelling right after ordering shows the pay service’s refusal and keeps the order unpaid', async () => {
  // A cloud whose pay simulator runs in real time: closing is refused for 5 minutes after creation.
  const slow = await startTestCloud({ simTimeScale: 1 })
  try {
    const shopper = newLocalId()
    const fresh = await place(slow, shopper, [{ goodsId: 'goods-ginger-tea', quantity: 1 }])
    const { page } = await shopperPage(shopper)
    await page.goto(`${slow.url}/#/pages/order/index?outTradeNo=${fresh}`)
    await page.getByText(`订单号：${fresh}`).waitFor()
    await bar(page).getByText('取消订单').click()
    await confirmModal(page, '取消订单')
    await page.getByText('订单刚创建，请在下单 5 分钟后再取消').waitFor()
    await screenshot(page, 'orders-13-cancel-too-early-390')
    assert.equal(slow.engine.getById('orders', fresh)?.doc['status'], 'NOTPAY')
    await header(page).getByText('待付款').waitFor()
    await bar(page).getByText('取消订单').waitFor()
  } finally {
    await slow.stop()
  }
})
