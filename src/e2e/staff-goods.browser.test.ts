// The staff console's catalogue and reconcile pages in the H5 build, against a local cloud started
// here with one staff member (ADMIN_OPENIDS). Staff create a goods item with a picture uploaded
// from the browser and a price typed in yuan; a shopper finds it (picture loaded) and buys it; staff
// change the price (the placed order keeps its own) and put it off sale (the shopper no longer sees
// it, and ordering it from a cart that still holds it is refused); staff run reconcile now. A
// shopper opening these pages sees 无权限. Screenshots at 390×844 and 320×568 land in
// .test-artifacts/screenshots/staff-goods-*.png.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { cloudPayEnv } from '../../cloud/local/testing/shop'
import { palettePng } from '../../scripts/palette-png'
import { expectSettles, launchBrowser, lookAtPhones, newLocalId, pageAs, screenshot } from './browser'

const STAFF = newLocalId()
const NAME = `手冲滤杯 ${randomBytes(2).toString('hex')}`
const ADDRESS = { recipient: '林小雨', mobile: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 478 号 2 幢 301' }

let cloud: TestCloud
let browser: Browser

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'h5', 'index.html')), 'build the H5 app first: npm run build:h5 (npm test does)')
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await cloud?.stop()
})

/** Axe, tap targets and screenshots (staff-goods-<name>-<w>x<h>.png) at both phone sizes. */
const look = (page: Page, name: string): Promise<void> => lookAtPhones(page, `staff ${name}`, `staff-goods-${name}`)

/** An 8×8 PNG in two colours, as a phone's album would hand over (a real picture the browser decodes). */
function testPicture(): Buffer {
  const rgba = new Uint8Array(8 * 8 * 4)
  for (let i = 0; i < 64; i++) rgba.set(i % 8 < 4 ? [7, 122, 63, 255] : [245, 245, 245, 255], i * 4)
  const png = palettePng(8, 8, rgba)
  assert.ok(png, 'the test picture encodes')
  return png
}

const storedGoods = () => cloud.engine.find('goods', { name: NAME })
const row = (page: Page) => page.locator('.staff-goods').filter({ hasText: NAME })
const card = (page: Page) => page.locator('.goods-card').filter({ hasText: NAME })
const editField = (page: Page, label: string) => page.locator(`.goods-edit input[aria-label="${label}"]`)

async function confirmModal(page: Page, confirmText: string): Promise<void> {
  const button = page.locator('.taro-model__confirm').filter({ hasText: confirmText })
  await button.waitFor()
  await button.click()
}

/** The shopper's whole purchase of what is in their cart, through the pages: address, order, the simulated cashier. */
async function checkoutCart(page: Page): Promise<string> {
  await page.locator('.taro-tabbar__tabbar').getByText('购物车', { exact: true }).click()
  await page.getByText('去结算').click()
  const add = page.getByText('＋ 添加收货地址')
  await page.getByText('提交订单').waitFor()
  if (await add.count()) {
    await add.click()
    for (const [name, value] of Object.entries(ADDRESS)) await page.locator(`.address-field__input--${name} input`).fill(value)
    await page.getByText('保存并使用').click()
    await page.locator('.checkout__recipient').getByText(ADDRESS.recipient).waitFor()
  }
  await page.getByText('提交订单').click()
  await page.getByText('确认支付', { exact: true }).click()
  await page.locator('.result__title').getByText('支付成功').waitFor()
  const match = /outTradeNo=(\d+)/.exec(page.url())
  assert.ok(match, `on a result page with an order number: ${page.url()}`)
  return match[1] ?? ''
}

test('staff create a goods item with a picture and a price in yuan; a shopper buys it; a price change spares the order; off sale it is refused', async () => {
  const shopper = newLocalId()
  const staff = await pageAs(browser, STAFF)
  const page = staff.page
  try {
    // The list: every goods item, the off-sale demo one marked.
    await page.goto(`${cloud.url}/#/pages/staff/goods/index`)
    await page.locator('.staff-goods').nth(6).waitFor()
    const off = page.locator('.staff-goods--off')
    assert.equal(await off.count(), 1, 'the demo catalogue has one off-sale goods item, listed for staff')
    await off.locator('.status-badge').getByText('已下架').waitFor()
    await look(page, '1-list')

    // New: the form says what is missing and what is wrong, in staff words, before sending anything.
    await page.locator('.staff-goods-head').getByText('新建商品').click()
    await page.locator('.goods-edit').waitFor()
    await page.locator('.goods-edit__bar').getByText('保存').click()
    await page.locator('.staff-field__error').getByText('请填写商品名称').waitFor()
    await page.locator('.staff-field__error').getByText('请填写价格').waitFor()
    await editField(page, '商品名称').fill(NAME)
    await editField(page, '价格（元）').fill('12.345')
    await page
      .locator('.staff-field__error')
      .getByText(/价格格式不正确/)
      .waitFor()
    await expectSettles(() => page.locator('.staff-field__error').getByText('请填写商品名称').count(), 0, 'a corrected field stops saying it is wrong')
    await editField(page, '价格（元）').fill('0')
    await page.locator('.staff-field__error').getByText('价格应大于 0 元').waitFor()
    await editField(page, '价格（元）').fill('12.30')
    await page.locator('.goods-edit textarea').fill('陶瓷 V60 滤杯，1–2 人份')
    assert.equal(storedGoods().length, 0, 'nothing saved yet')

    // A picture from the browser's file dialog, uploaded to the local cloud's storage.
    const chooser = page.waitForEvent('filechooser')
    await page.locator('.goods-edit__add').click()
    await (await chooser).setFiles({ name: 'dripper.png', mimeType: 'image/png', buffer: testPicture() })
    const preview = page.locator('.goods-edit__pic img').first()
    await preview.waitFor()
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.goods-edit__pic img')
      return !!img && img.complete && img.naturalWidth > 0
    })
    await look(page, '2-edit-new')

    await page.locator('.goods-edit__bar').getByText('保存').click()
    await row(page).waitFor()
    await row(page).getByText('¥12.30').waitFor()
    const [created] = storedGoods()
    assert.ok(created, 'the goods item is saved')
    assert.equal(created['priceFen'], 1230, '"12.30" typed is exactly 1230 fen')
    assert.equal(created['onSale'], true)
    const pics = created['pics'] as string[]
    assert.equal(pics.length, 1)
    assert.match(pics[0] ?? '', /^cloud:\/\/.+\/goods\/[^/]+\.png$/, 'the uploaded picture is a cloud storage file id')
    assert.equal(storedGoods().length, 1, 'one save, one goods item')
    assert.deepEqual(staff.problems, [])
  } catch (error) {
    await screenshot(page, 'staff-goods-failure-create')
    throw error
  }
  const goodsId = String(storedGoods()[0]?.['_id'])

  // The shopper: on the home page with its picture, bought at 12.30.
  const buyer = await pageAs(browser, shopper)
  const shop = buyer.page
  let bought: string
  try {
    await shop.goto(cloud.url)
    await card(shop).waitFor()
    await card(shop).getByText('¥12.30').waitFor()
    await shop.waitForFunction((name) => {
      const cardEl = [...document.querySelectorAll('.goods-card')].find((el) => el.textContent?.includes(name))
      const img = cardEl?.querySelector('img')
      return !!img && img.complete && img.naturalWidth > 0
    }, NAME)
    await card(shop).getByText('加入购物车').click()
    bought = await checkoutCart(shop)
    const order = cloud.engine.getById('orders', bought)?.doc
    assert.equal(order?.['totalFee'], 1230, 'the order is for 1230 fen')
    assert.equal(order?.['status'], 'SUCCESS')
    // Back in the cart for another one later: the cart keeps it after it goes off sale.
    await shop.goto(cloud.url)
    await card(shop).getByText('加入购物车').click()
  } catch (error) {
    await screenshot(shop, 'staff-goods-failure-buy')
    throw error
  }

  // Staff change the price: the placed order keeps its own.
  try {
    await page.reload()
    await row(page).locator('.staff-goods__main').click()
    await editField(page, '价格（元）').waitFor()
    await expectSettles(() => editField(page, '价格（元）').inputValue(), '12.30', 'the price shows in yuan as it was typed')
    await expectSettles(() => page.locator('.goods-edit__pic').count(), 1, 'with its picture')
    await editField(page, '价格（元）').fill('15')
    // A second picture, moved in front: the new cover.
    const oldCover = (cloud.engine.getById('goods', goodsId)?.doc['pics'] as string[])[0]
    const chooser = page.waitForEvent('filechooser')
    await page.locator('.goods-edit__add').click()
    await (await chooser).setFiles({ name: 'dripper-2.png', mimeType: 'image/png', buffer: testPicture() })
    await page.locator('.goods-edit__pic').nth(1).waitFor()
    const added = await page.locator('.goods-edit__pic').nth(1).getAttribute('data-pic')
    assert.notEqual(added, oldCover)
    await page.locator('.goods-edit__pic').nth(1).getByRole('button', { name: '第 2 张图片前移' }).click()
    await expectSettles(() => page.locator('.goods-edit__pic').first().getAttribute('data-pic'), added, 'the moved picture is first')
    await page.locator('.goods-edit__bar').getByText('保存').click()
    await row(page).getByText('¥15.00').waitFor()
    const edited = cloud.engine.getById('goods', goodsId)?.doc
    assert.equal(edited?.['priceFen'], 1500)
    const pics = edited?.['pics'] as string[]
    assert.equal(pics.length, 2)
    assert.equal(pics[1], oldCover, 'the old cover is second now')
    const order = cloud.engine.getById('orders', bought)?.doc
    assert.equal(order?.['totalFee'], 1230, 'a price change never changes a placed order')
    assert.deepEqual(
      (order?.['items'] as Array<{ goodsId: string; priceFen: number; pic: string }>).map((item) => [item.goodsId, item.priceFen, item.pic]),
      [[goodsId, 1230, oldCover]],
      'nor does a new cover',
    )

    // Off sale, after a confirmation; the row says so.
    await row(page).locator('.staff-goods__toggle').getByText('下架').click()
    await page
      .locator('.taro-modal__text')
      .getByText(/买家将看不到它/)
      .waitFor()
    await confirmModal(page, '确认下架')
    await row(page).locator('.status-badge').getByText('已下架').waitFor()
    assert.equal(cloud.engine.getById('goods', goodsId)?.doc['onSale'], false)
    await row(page).locator('.staff-goods__toggle').getByText('上架').waitFor()
    await look(page, '3-list-off-sale')
    assert.deepEqual(staff.problems, [])
  } catch (error) {
    await screenshot(page, 'staff-goods-failure-edit')
    throw error
  }

  // The shopper no longer sees it; ordering it from the cart is refused in their words.
  try {
    await shop.goto(cloud.url)
    await shop.locator('.goods-card').first().waitFor()
    assert.equal(await card(shop).count(), 0, 'off sale: not on the home page')
    const before = cloud.engine.find('orders', { _openid: shopper }).length
    await shop.locator('.taro-tabbar__tabbar').getByText('购物车', { exact: true }).click()
    await shop.locator('.cart-line').filter({ hasText: NAME }).waitFor()
    await shop.getByText('去结算').click()
    await shop.getByText('提交订单').click()
    await shop.getByText(`「${NAME}」已下架，请调整后再下单`).waitFor()
    assert.equal(cloud.engine.find('orders', { _openid: shopper }).length, before, 'no order for an off-sale goods item')
    await screenshot(shop, 'staff-goods-4-shopper-refused')
    assert.deepEqual(buyer.problems, [])
  } catch (error) {
    await screenshot(shop, 'staff-goods-failure-refused')
    throw error
  }
})

test('an edit link opens its item wherever it is in the catalogue; a link to no item says so and leads back to the list', async () => {
  const { page, problems } = await pageAs(browser, STAFF)
  try {
    // The demo's off-sale item is the last of the list; its link opens it directly.
    await page.goto(`${cloud.url}/#/pages/staff/goods/edit/index?id=goods-retired`)
    await expectSettles(() => editField(page, '商品名称').inputValue(), '已下架的旧款茶杯', 'the linked item is in the form')
    await page.goto(`${cloud.url}/#/pages/staff/goods/edit/index?id=g-000000000000000000000000`)
    await page.getByText('商品不存在').waitFor()
    assert.equal(await page.getByRole('button', { name: '重试' }).count(), 0, 'nothing to retry: the item is not there')
    await look(page, 'edit-missing')
    await page.getByRole('button', { name: '返回商品列表' }).click()
    await page.locator('.staff-goods').first().waitFor()
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-goods-failure-missing')
    throw error
  } finally {
    await page.close()
  }
})

test('staff see the last reconcile run and run it now; the new run is shown', async () => {
  const { page, problems } = await pageAs(browser, STAFF)
  try {
    await page.goto(`${cloud.url}/#/pages/staff/reconcile/index`)
    await page.locator('.reconcile__run').getByText('立即对账').waitFor()
    await look(page, '5-reconcile')
    const runsBefore = cloud.engine.find('reconcile_runs', { trigger: 'staff' }).length
    await page.locator('.reconcile__run').click()
    await page.locator('.reconcile__outcome').getByText('对账完成，结果如下').waitFor()
    await page.locator('.reconcile-run__value').getByText('工作人员').waitFor()
    const runs = cloud.engine.find('reconcile_runs', { trigger: 'staff' })
    assert.equal(runs.length, runsBefore + 1, 'one run by staff')
    assert.equal(runs.at(-1)?.['by'], STAFF)
    const checked = await page.locator('.reconcile-counts__cell[data-count="checked"] .reconcile-counts__value').innerText()
    assert.match(checked, /^\d+$/)
    await look(page, '6-reconcile-ran')

    // The console's nav: each section from the others.
    await page.locator('.staff-nav').getByText('订单', { exact: true }).click()
    await page.waitForURL(/pages\/staff\/orders\/index/)
    await page.locator('.staff-nav__item[aria-current="page"]').getByText('订单').waitFor()
    await screenshot(page, 'staff-goods-8-orders-nav-390x844')
    await page.locator('.staff-nav').getByText('商品', { exact: true }).click()
    await page.locator('.staff-goods').first().waitFor()
    await page.locator('.staff-nav').getByText('对账', { exact: true }).click()
    await page.locator('.reconcile__run').waitFor()
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-goods-failure-reconcile')
    throw error
  }
})

test('a shopper opening the goods, edit or reconcile page sees 无权限 and nothing of the console', async () => {
  const { page, problems } = await pageAs(browser, newLocalId())
  try {
    for (const url of [
      '/#/pages/staff/goods/index',
      '/#/pages/staff/goods/edit/index?id=goods-coffee',
      '/#/pages/staff/goods/edit/index',
      '/#/pages/staff/reconcile/index',
    ]) {
      // A hash-only goto keeps the app and stacks a page on the last one (hidden, still in the DOM): reload for a fresh start.
      await page.goto(`${cloud.url}${url}`)
      await page.reload()
      await page.getByText('无权限', { exact: true }).waitFor()
      assert.equal(await page.locator('.staff-goods, .goods-edit, .reconcile, .staff-nav').count(), 0, `no console for a shopper at ${url}`)
    }
    await look(page, '7-forbidden')
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-goods-failure-forbidden')
    throw error
  }
})
