// The H5 build in Debian's Chromium against a local cloud started here: what a shopper does,
// end to end, with the simulated WeChat cashier. Screenshots land in .test-artifacts/.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { launchBrowser, phonePage, screenshot } from './browser'

let cloud: TestCloud
let browser: Browser

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'h5', 'index.html')), 'build the H5 app first: npm run build:h5 (npm test does)')
  cloud = await startTestCloud({ functionEnv: { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: 'staff-1' } })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await cloud?.stop()
})

const card = (page: Page, name: string) => page.locator('.goods-card').filter({ hasText: name })
const tab = (page: Page, text: string) => page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true })

async function orderIdOnPage(page: Page): Promise<string> {
  const text = await page.getByText(/^订单号：/).innerText()
  return text.replace('订单号：', '').trim()
}

test('browse → cart → order → cashier confirm → paid; cancel → retry → paid; My orders; another shopper sees none', async () => {
  const { page, problems } = await phonePage(browser)
  await page.goto(cloud.url)
  await card(page, '云南小粒咖啡豆 250g').waitFor()
  assert.equal(await page.locator('.goods-card').count(), 6) // the off-sale goods is not listed
  await assert.doesNotReject(card(page, '景德镇白瓷马克杯').getByText('¥45.00').waitFor())
  await screenshot(page, '1-home')

  // Cart: add, persist across a reload, change the quantity.
  await card(page, '云南小粒咖啡豆 250g').getByText('加入购物车').click()
  await card(page, '景德镇白瓷马克杯').getByText('加入购物车').click()
  await page.reload()
  await tab(page, '购物车').click()
  await page.locator('.cart-line').filter({ hasText: '景德镇白瓷马克杯' }).waitFor()
  assert.equal(await page.locator('.cart-line').count(), 2, 'the cart survives a reload')
  await page.locator('.cart-line').filter({ hasText: '云南小粒咖啡豆' }).locator('.stepper__button').last().click()
  await page.getByText('¥181.00').waitFor() // 2 × 68.00 + 45.00
  await screenshot(page, '2-cart')

  // Order and pay in the simulated cashier.
  await page.getByText('去结算').click()
  await page.getByText('微信支付（模拟收银台）').waitFor()
  await page.locator('.cashier__amount').getByText('¥181.00').waitFor()
  await screenshot(page, '3-cashier')
  const first = await orderIdOnPage(page)
  await page.getByText('确认支付', { exact: true }).click()
  await page.getByText('支付成功').waitFor()
  await page.getByText(/^微信支付单号：\d{28}$/).waitFor()
  assert.equal(cloud.engine.getById('orders', first)?.doc['status'], 'SUCCESS', 'the server says paid, not just the page')
  await screenshot(page, '4-order-paid')

  // Buy now, cancel in the cashier: unpaid with a retry; retry pays.
  await page.goto(cloud.url)
  await card(page, '手工红糖姜茶').getByText('立即购买').click()
  await page.getByText('微信支付（模拟收银台）').waitFor()
  const second = await orderIdOnPage(page)
  await page.locator('.cashier__cancel').click()
  await page.getByText('重新支付 ¥29.90').waitFor()
  await page.locator('.order__status').getByText('待支付').first().waitFor()
  await page.getByText(/剩余支付时间 1:59:\d\d/).waitFor()
  assert.equal(cloud.engine.getById('orders', second)?.doc['status'], 'NOTPAY')
  await screenshot(page, '5-order-cancelled')
  await page.getByText('重新支付 ¥29.90').click()
  await page.getByText('确认支付', { exact: true }).click()
  await page.getByText('支付成功').waitFor()
  assert.equal(cloud.engine.getById('orders', second)?.doc['status'], 'SUCCESS')

  // My orders: both, newest first, paid; tapping one opens it.
  await page.goto(`${cloud.url}/#/pages/orders/index`)
  await page.locator('.order-row').nth(1).waitFor()
  const rows = page.locator('.order-row')
  assert.equal(await rows.count(), 2)
  assert.match(await rows.nth(0).innerText(), new RegExp(second))
  assert.match(await rows.nth(1).innerText(), new RegExp(first))
  assert.equal(await page.locator('.order-row .status-badge').getByText('已支付').count(), 2)
  await screenshot(page, '6-my-orders')
  await rows.nth(1).click()
  await page.getByText(`订单号：${first}`).waitFor()
  assert.deepEqual(problems, [])

  // Another shopper (another browser profile) sees none of it.
  const other = await phonePage(browser)
  await other.page.goto(`${cloud.url}/#/pages/orders/index`)
  await other.page.getByText('还没有订单').waitFor()
  await screenshot(other.page, '7-other-shopper-orders')
  await other.page.goto(`${cloud.url}/#/pages/order/index?outTradeNo=${first}`)
  await other.page.getByText('订单不存在').waitFor()
  assert.equal(cloud.engine.getById('orders', first)?.doc['_openid'] !== undefined, true)
})

test('a failed payment in the cashier says so and offers a retry; a network failure shows a retry state', async () => {
  const { page } = await phonePage(browser)
  await page.goto(cloud.url)
  await card(page, '有机燕麦片 1kg').getByText('立即购买').click()
  await page.getByText('模拟支付失败').click()
  await page.getByText('重新支付 ¥39.90').waitFor()
  await page
    .getByText(/支付未完成/)
    .first()
    .waitFor()
  await screenshot(page, '8-order-payment-failed')
  await page.getByText('重新支付 ¥39.90').click()
  await page.getByText('确认支付', { exact: true }).click()
  await page.getByText('支付成功').waitFor()

  // The goods list when the cloud is unreachable: an error with a retry, which then works.
  await page.route('**/api/functions/listGoods', (route) => route.abort())
  await page.goto(`${cloud.url}/?fresh=1`)
  await page.getByText('网络不给力，请稍后重试').waitFor()
  await screenshot(page, '9-home-error')
  await page.unroute('**/api/functions/listGoods')
  await page.getByText('重试', { exact: true }).click()
  await card(page, '云南小粒咖啡豆 250g').waitFor()
})

test('a double tap on buy now creates one order', async () => {
  const { page } = await phonePage(browser)
  await page.goto(cloud.url)
  const before = cloud.engine.count('orders', {})
  await card(page, '帆布托特包').getByText('立即购买').dblclick()
  await page.getByText('微信支付（模拟收银台）').waitFor()
  await page.waitForTimeout(500)
  assert.equal(cloud.engine.count('orders', {}), before + 1)
})

test("a refund by staff shows on the shopper's order page", async () => {
  const { page } = await phonePage(browser)
  await page.goto(cloud.url)
  await card(page, '一分钱体验装').getByText('立即购买').click()
  await page.getByText('确认支付', { exact: true }).click()
  await page.getByText('支付成功').waitFor()
  const outTradeNo = await orderIdOnPage(page)
  const res = await fetch(`${cloud.url}/api/functions/refundOrder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': 'staff-1' },
    body: JSON.stringify({ outTradeNo, refundFee: 1, outRefundNo: 'RF-browser-01' }),
  })
  assert.equal(((await res.json()) as { ok: boolean }).ok, true)
  for (let i = 0; i < 50 && cloud.engine.getById('orders', outTradeNo)?.doc['status'] !== 'REFUND'; i++) await page.waitForTimeout(50)
  await page.reload()
  await page.getByText('已退款', { exact: true }).first().waitFor()
  await page.getByText('退款（已退 ¥0.01）').waitFor()
  await screenshot(page, '10-order-refunded')
})
