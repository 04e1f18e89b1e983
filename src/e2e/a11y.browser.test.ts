// Accessibility of the shop's pages in Debian's Chromium: axe-core finds no serious or critical
// violation, every tap target is at least 44×44 CSS px, at a large and at the smallest phone.
// Screenshots (a11y-<page>-<w>x<h>.png) land in .test-artifacts/screenshots/ to be looked at.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { expectAccessible, expectTapTargets, launchBrowser, phonePage, screenshot, sizeName, VIEWPORTS } from './browser'

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

/** Taro's H5 toast would otherwise be on the next screenshot, and in axe's way. */
async function toastGone(page: Page): Promise<void> {
  await page.waitForFunction(() => ![...document.querySelectorAll('.taro__toast, #taro__toast')].some((el) => getComputedStyle(el).display !== 'none'))
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
  })
}

test("the cashier's confirm button looks enabled: no disabled/loading attribute for Taro's styles to take", async () => {
  const { page } = await phonePage(browser, VIEWPORTS.small)
  await page.goto(cloud.url)
  await card(page, '一分钱体验装').getByText('立即购买').click()
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
