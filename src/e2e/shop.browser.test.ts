// The H5 build in Debian's Chromium against a local cloud started here: what a shopper does,
// end to end, with the simulated WeChat cashier. Screenshots land in .test-artifacts/.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { launchBrowser, phonePage, screenshot, shopperOf } from './browser'

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

const ADDRESS = { recipient: '林小雨', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 478 号 2 幢 301' }

const card = (page: Page, name: string) => page.locator('.goods-card').filter({ hasText: name })
const tab = (page: Page, text: string) => page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true })
const field = (page: Page, name: keyof typeof ADDRESS) => page.locator(`.address-field__input--${name} input`)
const ordersOf = (openid: string) => cloud.engine.find('orders', { _openid: openid })

/** The order the result page is about, from its URL. */
function orderOnResultPage(page: Page): string {
  const match = /outTradeNo=(\d+)/.exec(page.url())
  assert.ok(match, `on a result page with an order number: ${page.url()}`)
  return match[1] ?? ''
}

async function fillAddress(page: Page, address: Partial<typeof ADDRESS>): Promise<void> {
  for (const [name, value] of Object.entries(address)) await field(page, name as keyof typeof ADDRESS).fill(value)
}

test('goods detail → cart → confirm order with a new address → pay → result → My orders 待发货; reload never reopens the cashier', async () => {
  const { page, problems } = await phonePage(browser)
  await page.goto(cloud.url)
  await card(page, '云南小粒咖啡豆 250g').waitFor()
  assert.equal(await page.locator('.goods-card').count(), 6) // the off-sale goods is not listed
  await screenshot(page, '1-home')

  // Detail: opened from the card, pictures in a swiper, add to cart.
  await card(page, '景德镇白瓷马克杯').locator('.goods-card__name').click()
  await page.locator('.goods-detail__name').getByText('景德镇白瓷马克杯').waitFor()
  await page.locator('.goods-detail__price').getByText('¥45.00').waitFor()
  const pictures = await page.locator('.goods-detail__swiper .goods-detail__pic').count()
  assert.ok(pictures > 1, 'several pictures are shown in a swiper')
  await page.locator('.goods-detail__counter').getByText(`1/${pictures}`).waitFor()
  await screenshot(page, '2-goods-detail')
  // Swiping pages one picture at a time, and the counter follows.
  await page.locator('.goods-detail__swiper').evaluate((row) => row.scrollBy({ left: row.clientWidth * 0.6 }))
  await page.locator('.goods-detail__counter').getByText(`2/${pictures}`).waitFor()
  const snapped = await page
    .locator('.goods-detail__swiper')
    .evaluate((row) => new Promise<number>((resolve) => setTimeout(() => resolve(row.scrollLeft / row.clientWidth), 600)))
  assert.ok(Math.abs(snapped - 1) < 0.02, `the row settles on the second picture (scrolled ${snapped.toFixed(2)} widths)`)
  await page.locator('.goods-detail__add').click()
  await page.locator('.goods-detail__badge').getByText('1').waitFor()

  // Cart: a second goods, quantities, persisted across a reload.
  await page.goto(cloud.url)
  await card(page, '云南小粒咖啡豆 250g').getByText('加入购物车').click()
  await page.reload()
  await tab(page, '购物车').click()
  await page.locator('.cart-line').filter({ hasText: '景德镇白瓷马克杯' }).waitFor()
  assert.equal(await page.locator('.cart-line').count(), 2, 'the cart survives a reload')
  await page.locator('.cart-line').filter({ hasText: '云南小粒咖啡豆' }).locator('.stepper__button').last().click()
  await page.getByText('¥181.00').first().waitFor() // 2 × 68.00 + 45.00
  await screenshot(page, '3-cart')

  // Confirm order: no address yet, so submitting says so and creates nothing.
  await page.getByText('去结算').click()
  await page.getByText('＋ 添加收货地址').waitFor()
  const shopper = await shopperOf(page)
  await page.getByText('提交订单').click()
  await page.locator('.checkout__address--missing').waitFor()
  assert.equal(ordersOf(shopper).length, 0, 'nothing is ordered without an address')
  await screenshot(page, '4-checkout-no-address')

  // The address form: field errors in the shopper's words, nothing saved or ordered.
  await page.getByText('＋ 添加收货地址').click()
  await fillAddress(page, { ...ADDRESS, mobile: '1391234', recipient: '' })
  await page.getByText('保存并使用').click()
  await page.locator('.address-field__error').getByText('请填写收货人').waitFor()
  await page.locator('.address-field__error').getByText('手机号码格式不正确').waitFor()
  await screenshot(page, '5-address-form-errors')
  assert.equal(ordersOf(shopper).length, 0)
  await fillAddress(page, ADDRESS)
  await page.getByText('保存并使用').click()

  // Back on the confirm page with the address; a note; submit and pay.
  await page.locator('.checkout__recipient').getByText(ADDRESS.recipient).waitFor()
  await page.getByText('139****5678').waitFor()
  await page.locator('.checkout__note textarea').fill('放门口快递柜')
  await screenshot(page, '6-checkout')
  await page.getByText('提交订单').click()
  await page.locator('.cashier__amount').getByText('¥181.00').waitFor()
  await page.getByText('确认支付', { exact: true }).click()
  await page.locator('.result__title').getByText('支付成功').waitFor()
  await page.locator('.result__amount').getByText('¥181.00').waitFor()
  const first = orderOnResultPage(page)
  assert.match(first, /^\d{28}$/, 'an order number a person can read out: digits only')
  assert.doesNotMatch(page.url(), /autopay/)
  const stored = cloud.engine.getById('orders', first)?.doc
  assert.equal(stored?.['status'], 'SUCCESS', 'the server says paid, not just the page')
  assert.deepEqual(stored?.['address'], ADDRESS)
  assert.equal(stored?.['note'], '放门口快递柜')
  await screenshot(page, '7-result-paid')

  // Reload the result page: the server's state again, and no cashier.
  await page.reload()
  await page.locator('.result__title').getByText('支付成功').waitFor()
  assert.equal(await page.locator('.cashier__sheet').count(), 0)
  assert.equal(await page.locator('.cart-line').count(), 0, 'the ordered goods left the cart')

  // Editing the address book never changes a placed order.
  await page.goto(`${cloud.url}/#/pages/address/index`)
  await page.getByText('编辑').first().click()
  await fillAddress(page, { detail: '另一个地址 9 号' })
  await page.getByText('保存并使用').click()
  await page.getByText(/另一个地址 9 号/).waitFor()
  assert.deepEqual(cloud.engine.getById('orders', first)?.doc['address'], ADDRESS)

  // My orders → 待发货 has it.
  await page.goto(`${cloud.url}/#/pages/result/index?outTradeNo=${first}`)
  await page.getByText('查看订单').click()
  await page.getByText(first).first().waitFor()
  await page.goto(`${cloud.url}/#/pages/orders/index?tab=TO_SHIP`)
  await page.reload() // Taro's H5 router keeps a tab page as it was; a fresh load reads ?tab=
  const row = page.locator(`.order-row[data-no="${first}"]`)
  await row.waitFor()
  assert.match(await row.innerText(), /景德镇白瓷马克杯[\s\S]*等 2 种商品/, 'the first goods and the count of kinds, not pieces (3)')
  await row.getByText('待发货').waitFor()
  assert.deepEqual(problems, [])

  // Another shopper (another browser profile) sees none of it.
  const other = await phonePage(browser)
  await other.page.goto(`${cloud.url}/#/pages/orders/index`)
  await other.page
    .getByText(/还没有/)
    .first()
    .waitFor()
  await other.page.goto(`${cloud.url}/#/pages/result/index?outTradeNo=${first}`)
  await other.page.getByText('订单不存在').waitFor()
})

test('buy now: cancel in the cashier → 支付未完成 with 重新支付 → paid; a failed payment says so', async () => {
  const { page } = await phonePage(browser)
  await page.goto(cloud.url)
  await card(page, '手工红糖姜茶').getByText('立即购买').click()
  await page.getByText('＋ 添加收货地址').click()
  await fillAddress(page, ADDRESS)
  await page.getByText('保存并使用').click()
  await page.locator('.checkout__recipient').waitFor()
  await page.getByText('提交订单').click()
  await page.locator('.cashier__cancel').click()
  await page.locator('.result__title').getByText('支付未完成').waitFor()
  await page.getByText(/你已取消支付，订单为你保留 1:59:\d\d/).waitFor()
  const second = orderOnResultPage(page)
  assert.equal(cloud.engine.getById('orders', second)?.doc['status'], 'NOTPAY')
  await screenshot(page, '8-result-cancelled')
  await page.getByText('重新支付').click()
  await page.getByText('模拟支付失败').click()
  await page.getByText(/支付失败（模拟）/).waitFor()
  await page.getByText('重新支付').click()
  await page.getByText('确认支付', { exact: true }).click()
  await page.locator('.result__title').getByText('支付成功').waitFor()
  assert.equal(cloud.engine.getById('orders', second)?.doc['status'], 'SUCCESS')
})

test('a double tap on 提交订单 creates one order', async () => {
  const { page } = await phonePage(browser)
  await page.goto(`${cloud.url}/#/pages/checkout/index?goodsId=goods-tote&quantity=1`)
  await page.getByText('＋ 添加收货地址').click()
  await fillAddress(page, ADDRESS)
  await page.getByText('保存并使用').click()
  await page.locator('.checkout__recipient').waitFor()
  const shopper = await shopperOf(page)
  await page.getByText('提交订单').dblclick()
  await page.getByText('微信支付（模拟收银台）').waitFor()
  await page.waitForTimeout(500)
  assert.equal(ordersOf(shopper).length, 1)
})

test('goods that are off sale or missing say so with a way back; the list survives a network failure', async () => {
  const { page } = await phonePage(browser)
  await page.goto(`${cloud.url}/#/pages/goods/index?id=goods-retired`)
  await page.getByText('该商品已下架，暂时不能购买').waitFor()
  assert.equal(await page.getByText('立即购买').count(), 0)
  await screenshot(page, '9-goods-off-sale')
  await page.goto(`${cloud.url}/#/pages/goods/index?id=goods-nothing-here`)
  await page.getByText('商品不存在或已下架').waitFor()
  await page.getByText('去逛逛其他商品').click()
  await card(page, '云南小粒咖啡豆 250g').waitFor()
  await page.goto(`${cloud.url}/#/pages/checkout/index?goodsId=goods-retired&quantity=1`)
  await page.getByText('该商品已下架').waitFor()

  // The goods list when the cloud is unreachable: an error with a retry, which then works.
  await page.route('**/api/functions/listGoods', (route) => route.abort())
  await page.goto(`${cloud.url}/?fresh=1`)
  await page.getByText('网络不给力，请稍后重试').waitFor()
  await screenshot(page, '10-home-error')
  await page.unroute('**/api/functions/listGoods')
  await page.getByText('重试', { exact: true }).click()
  await card(page, '云南小粒咖啡豆 250g').waitFor()
})
