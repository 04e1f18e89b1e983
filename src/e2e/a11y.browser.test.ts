// Accessibility of the shop's pages in Debian's Chromium: axe-core finds no serious or critical
// violation, every tap target is at least 44×44 CSS px, at a large and at the smallest phone.
// Screenshots (a11y-<page>-<w>x<h>.png) land in .test-artifacts/screenshots/ to be looked at.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { placeOrder, simPay } from '../../cloud/local/testing/shop'
import { expectAccessible, expectSettles, expectTapTargets, launchBrowser, phonePage, screenshot, shopperOf, sizeName, toastGone, VIEWPORTS } from './browser'

let cloud: TestCloud
let browser: Browser

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'h5', 'index.html')), 'build the H5 app first: npm run build:h5 (npm test does)')
  cloud = await startTestCloud({ functionEnv: { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109' } })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await cloud?.stop()
})

const card = (page: Page, name: string) => page.locator('.goods-card').filter({ hasText: name })

/** Every goods picture on screen has loaded (lazy ones included) and is not broken. */
async function picturesLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('img')].every((img) => !img.getAttribute('src') || (img.complete && img.naturalWidth > 0)))
}

/** axe (serious and critical fail; the rest is logged) and 44 px tap targets, then a screenshot `a11y-<name>-<size>.png`. */
async function check(page: Page, name: string, size: string): Promise<void> {
  await toastGone(page)
  await picturesLoaded(page)
  const minor = await expectAccessible(page, `${name} ${size}`)
  if (minor.length) console.log(`${name} ${size}: moderate/minor axe findings: ${minor.join(', ')}`)
  await expectTapTargets(page, `${name} ${size}`)
  await screenshot(page, `a11y-${name}-${size}`)
}

/** What a screen reader announces for a form control: its name and its description (aria-describedby). */
async function nameAndDescription(page: Page, selector: string): Promise<{ name: string; description: string }> {
  return page.locator(selector).evaluate((el) => {
    const texts = (ids: string | null) =>
      (ids ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`)
        .join(' ')
    return { name: el.getAttribute('aria-label') ?? texts(el.getAttribute('aria-labelledby')), description: texts(el.getAttribute('aria-describedby')) }
  })
}

/** Nothing sticks out sideways: the page does not scroll horizontally. */
async function noSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  assert.ok(scroll <= client, `${label}: the page is ${scroll}px wide on a ${client}px screen`)
}

/** Scrolled to the end, the element `last` ends above the fixed bar `bar`: the bar hides nothing. */
async function clearOfBar(page: Page, last: string, bar: string, label: string): Promise<void> {
  // To the very end of whatever scrolls: the window, or a container of Taro's.
  await page
    .locator(last)
    .last()
    .evaluate((el) => {
      for (let node: HTMLElement | null = el as HTMLElement; node; node = node.parentElement) node.scrollTop = node.scrollHeight
      window.scrollTo(0, document.documentElement.scrollHeight)
    })
  await page.waitForTimeout(100)
  const lastBox = await page.locator(last).last().boundingBox()
  const barBox = await page.locator(bar).boundingBox()
  assert.ok(lastBox && barBox, `${label}: ${last} and ${bar} are shown`)
  assert.ok(lastBox.y + lastBox.height <= barBox.y, `${label}: ${last} ends at ${lastBox.y + lastBox.height}, under the bar at ${barBox.y}`)
}

/** Through the form on H5: the confirm-order page then shows it. */
async function addAddress(page: Page, address: Record<string, string>): Promise<void> {
  await page.getByText('＋ 添加收货地址').click()
  for (const [field, value] of Object.entries(address)) await page.locator(`.address-field__input--${field} input`).fill(value)
  await page.getByText('保存并使用').click()
  await page.locator('.checkout__recipient').waitFor()
}

const ADDRESS = {
  recipient: '林小雨',
  mobile: '13912345678',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 478 号 2 幢 301 室（靠近公交站的那个单元门）',
}

for (const viewport of Object.values(VIEWPORTS)) {
  const size = sizeName(viewport)
  describe(`at ${size}`, () => {
    test(`home: axe, tap targets, an enabled buy button that does not look disabled (${size})`, async () => {
      const { page, problems } = await phonePage(browser, viewport)
      await page.goto(cloud.url)
      await card(page, '云南小粒咖啡豆 250g').waitFor()
      await picturesLoaded(page)
      const minor = await expectAccessible(page, `home ${size}`)
      if (minor.length) console.log(`home ${size}: moderate/minor axe findings: ${minor.join(', ')}`)
      assert.ok((await expectTapTargets(page, `home ${size}`)) >= 6 * 3, 'each card has a link and two buttons')

      // Taro's H5 Button wrote disabled="false", which its [disabled] styles took for disabled.
      const buy = card(page, '云南小粒咖啡豆 250g').locator('.goods-card__buy')
      const look = await buy.evaluate((el) => ({
        disabled: el.getAttribute('disabled'),
        ariaDisabled: el.getAttribute('aria-disabled'),
        background: getComputedStyle(el).backgroundColor,
        color: getComputedStyle(el).color,
        opacity: getComputedStyle(el).opacity,
      }))
      assert.deepEqual(look, { disabled: null, ariaDisabled: null, background: 'rgb(6, 122, 63)', color: 'rgb(255, 255, 255)', opacity: '1' })
      // Every picture has a text alternative.
      assert.deepEqual(await page.locator('.goods-card img:not([alt])').count(), 0)
      await screenshot(page, `a11y-home-${size}`)
      assert.deepEqual(problems, [])
      await page.context().close()
    })

    test(`cart, empty then with goods: axe, tap targets (${size})`, async () => {
      const { page, problems } = await phonePage(browser, viewport)
      await page.goto(`${cloud.url}/#/pages/cart/index`)
      await page.getByText('购物车是空的').waitFor()
      await expectAccessible(page, `empty cart ${size}`)
      await expectTapTargets(page, `empty cart ${size}`)
      await screenshot(page, `a11y-cart-empty-${size}`)

      await page.goto(cloud.url)
      await card(page, '云南小粒咖啡豆 250g').getByText('加入购物车').click()
      await card(page, '帆布托特包').getByText('加入购物车').click()
      await page.goto(`${cloud.url}/#/pages/cart/index`)
      await page.locator('.cart-line').nth(1).waitFor()
      await page.locator('.cart-line').filter({ hasText: '帆布托特包' }).getByRole('button', { name: '增加一件' }).click()
      await page.getByText('¥186.00').waitFor() // 68.00 + 2 × 59.00
      await toastGone(page)
      await picturesLoaded(page)
      const minor = await expectAccessible(page, `cart ${size}`)
      if (minor.length) console.log(`cart ${size}: moderate/minor axe findings: ${minor.join(', ')}`)
      await expectTapTargets(page, `cart ${size}`)

      // The checkout bar stays on screen above the tab bar, and covers no cart line when scrolled to the end.
      const bar = await page.locator('.cart__bar').boundingBox()
      const tabBar = await page.locator('.taro-tabbar__tabbar').boundingBox()
      assert.ok(bar && tabBar, 'the checkout bar and the tab bar are shown')
      assert.ok(Math.abs(bar.y + bar.height - tabBar.y) <= 1, `the checkout bar sits on the tab bar (${bar.y + bar.height} vs ${tabBar.y})`)
      await page.locator('.cart__note').scrollIntoViewIfNeeded()
      const note = await page.locator('.cart__note').boundingBox()
      assert.ok(note && note.y + note.height <= bar.y, 'the last line of the cart is not under the checkout bar')
      await screenshot(page, `a11y-cart-${size}`)
      assert.deepEqual(problems, [])
      await page.context().close()
    })

    test(`goods detail, on sale with a swiper and off sale: axe, tap targets, pictures with alt (${size})`, async () => {
      const { page, problems } = await phonePage(browser, viewport)
      await page.goto(`${cloud.url}/#/pages/goods/index?id=goods-mug`)
      await page.locator('.goods-detail__name').getByText('景德镇白瓷马克杯').waitFor()
      assert.equal(await page.locator('.goods-detail__swiper img').count(), 3, 'three pictures in the swiper')
      assert.equal(await page.locator('.goods-detail img:not([alt])').count(), 0, 'every picture has a text alternative')
      assert.equal(await page.getByRole('heading', { level: 1, name: '景德镇白瓷马克杯' }).count(), 1)
      await noSidewaysScroll(page, `goods ${size}`)
      await check(page, 'goods', size)
      await clearOfBar(page, '.goods-detail__facts', '.goods-detail__bar', `goods ${size}`)

      await page.goto(`${cloud.url}/#/pages/goods/index?id=goods-retired`)
      await page.getByText('该商品已下架，暂时不能购买').waitFor()
      assert.equal(await page.getByText('立即购买').count(), 0)
      await check(page, 'goods-off-sale', size)
      await clearOfBar(page, '.goods-detail__summary', '.goods-detail__bar', `goods off sale ${size}`)
      assert.deepEqual(problems, [])
      await page.context().close()
    })

    test(`confirm order without an address, the address form empty and with errors, confirm order with an address and a bad note, the address book (${size})`, async () => {
      const { page, problems } = await phonePage(browser, viewport)
      await page.goto(`${cloud.url}/#/pages/checkout/index?goodsId=goods-tote&quantity=2`)
      await page.getByText('＋ 添加收货地址').waitFor()
      await page.getByText('提交订单').click()
      await page.locator('.checkout__address--missing').waitFor()
      // The address block says what is wrong, in words linked to it.
      assert.equal(await page.getByRole('button', { name: '添加收货地址' }).getAttribute('aria-describedby'), 'checkout-address-error')
      assert.equal((await page.locator('#checkout-address-error').textContent())?.trim(), '请先添加收货地址')
      await noSidewaysScroll(page, `checkout ${size}`)
      await check(page, 'checkout-no-address', size)

      await page.getByRole('button', { name: '添加收货地址' }).click()
      await page.locator('.address-field__input--recipient input').waitFor()
      await check(page, 'address-form', size)
      // Every native input has a name of its own (the visible label is beside it, not tied to it by the DOM).
      for (const field of ['recipient', 'mobile', 'province', 'city', 'district', 'detail']) {
        assert.notEqual((await nameAndDescription(page, `.address-field__input--${field} input`)).name, '', `${field} has an accessible name`)
      }

      await page.locator('.address-field__input--mobile input').fill('1391234')
      await page.getByText('保存并使用').click()
      await page.locator('.address-field__error').getByText('手机号码格式不正确').waitFor()
      // An error is read with its field, and the field says it is invalid.
      await expectSettles(
        () => nameAndDescription(page, '.address-field__input--mobile input'),
        { name: '手机号码', description: '手机号码格式不正确' },
        'the mobile field is read with its error',
      )
      await expectSettles(() => page.locator('.address-field__input--mobile input').getAttribute('aria-invalid'), 'true', 'the mobile field is marked invalid')
      await expectSettles(
        () => nameAndDescription(page, '.address-field__input--recipient input'),
        { name: '收货人', description: '请填写收货人' },
        'the recipient field is read with its error',
      )
      await noSidewaysScroll(page, `address form ${size}`)
      await check(page, 'address-form-errors', size)

      for (const [field, value] of Object.entries(ADDRESS)) await page.locator(`.address-field__input--${field} input`).fill(value)
      // A field being fixed is no longer marked invalid (Taro re-renders its <input> a moment after React).
      await page.waitForFunction(() => document.querySelectorAll('[aria-invalid="true"]').length === 0)
      assert.equal(await page.locator('.address-field__error').count(), 0)
      await page.getByText('保存并使用').click()
      await page.locator('.checkout__recipient').getByText(ADDRESS.recipient).waitFor()
      // A line break in the note is refused, under the note and read with it.
      await page.locator('.checkout__note textarea').fill('放门口\n快递柜')
      await page.locator('.checkout__note-help').getByText('备注不能换行或包含特殊字符').waitFor()
      await expectSettles(
        () => nameAndDescription(page, '.checkout__note textarea'),
        { name: '订单备注', description: '备注不能换行或包含特殊字符' },
        'the note is read with its error',
      )
      await expectSettles(() => page.locator('.checkout__note textarea').getAttribute('aria-invalid'), 'true', 'the note is marked invalid')
      await noSidewaysScroll(page, `checkout ${size}`)
      await check(page, 'checkout', size)
      await clearOfBar(page, '.checkout__sums', '.checkout__bar', `checkout ${size}`)

      await page.goto(`${cloud.url}/#/pages/address/index`)
      await page.locator('.address-row').getByText(ADDRESS.recipient).waitFor()
      await noSidewaysScroll(page, `address book ${size}`)
      await check(page, 'address-book', size)
      await clearOfBar(page, '.address-row', '.addresses__bar', `address book ${size}`)
      assert.deepEqual(problems, [])
      await page.context().close()
    })

    test(`payment result, paid and not paid: axe, tap targets, a way on from each (${size})`, async () => {
      const { page, problems } = await phonePage(browser, viewport)
      await page.goto(cloud.url)
      await card(page, '云南小粒咖啡豆 250g').waitFor()
      const shopper = await shopperOf(page)

      const paid = await placeOrder(cloud, shopper, [{ goodsId: 'goods-mug', quantity: 1 }])
      assert.equal((await simPay(cloud, paid.outTradeNo)).status, 200)
      await page.goto(`${cloud.url}/#/pages/result/index?outTradeNo=${paid.outTradeNo}`)
      await page.locator('.result__title').getByText('支付成功').waitFor()
      await page.locator('.result__amount').getByText('¥45.00').waitFor()
      assert.equal(await page.getByRole('heading', { level: 1, name: '支付成功' }).count(), 1)
      for (const name of ['查看订单', '继续逛逛']) assert.equal(await page.getByRole('button', { name }).count(), 1, `${name} is offered`)
      await noSidewaysScroll(page, `result ${size}`)
      await check(page, 'result-paid', size)

      const unpaid = await placeOrder(cloud, shopper, [{ goodsId: 'goods-ginger-tea', quantity: 1 }])
      await page.goto(`${cloud.url}/#/pages/result/index?outTradeNo=${unpaid.outTradeNo}`)
      await page.locator('.result__title').getByText('支付未完成').waitFor()
      for (const name of ['重新支付', '查看订单', '继续逛逛']) assert.equal(await page.getByRole('button', { name }).count(), 1, `${name} is offered`)
      await noSidewaysScroll(page, `result ${size}`)
      await check(page, 'result-unpaid', size)
      assert.deepEqual(problems, [])
      await page.context().close()
    })
  })
}

test("the cashier's confirm button looks enabled: no disabled/loading attribute for Taro's styles to take", async () => {
  const { page } = await phonePage(browser, VIEWPORTS.small)
  await page.goto(cloud.url)
  await card(page, '一分钱体验装').getByText('立即购买').click()
  await addAddress(page, ADDRESS) // no order without one
  await page.getByText('提交订单').click()
  const confirm = page.locator('.cashier__confirm')
  await confirm.waitFor()
  const look = await confirm.evaluate((el) => ({
    attributes: ['disabled', 'loading', 'aria-disabled', 'aria-busy'].filter((name) => el.hasAttribute(name)),
    background: getComputedStyle(el).backgroundColor,
    color: getComputedStyle(el).color,
    opacity: getComputedStyle(el).opacity,
    height: el.getBoundingClientRect().height,
  }))
  assert.deepEqual(look, { attributes: [], background: 'rgb(6, 122, 63)', color: 'rgb(255, 255, 255)', opacity: '1', height: 48 })
  // The sheet only: the order page under it is checked by its own test.
  await expectTapTargets(page, 'cashier sheet', { within: '.cashier__sheet' })
  await page.context().close()
})
