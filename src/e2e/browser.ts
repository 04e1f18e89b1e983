// The checks below run inside the page (page.evaluate), where the DOM exists; scripts/bench-app.ts
// brings this file into the Node-only cloud typecheck too.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumPath, missingChromium } from '../../scripts/chromium'

/** A new shopper (or staff member): a local id as the H5 build makes them (src/services/localCloud.ts keeps only ids of this form). */
export const newLocalId = (): string => `local-${randomBytes(12).toString('hex')}`

export const ARTIFACTS = path.resolve(__dirname, '..', '..', '.test-artifacts', 'screenshots')

/** Debian's Chromium, headless, with everything that would phone home turned off. */
export function launchBrowser(): Promise<Browser> {
  const missing = missingChromium()
  if (missing) return Promise.reject(new Error(missing))
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
    ],
  })
}

export type Viewport = { width: number; height: number }

/** The phones every page is checked on: a common large one, and the smallest still in use (iPhone SE, 1st gen). */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  small: { width: 320, height: 568 },
} as const satisfies Record<string, Viewport>

/** `390x844`: how screenshots and failure messages name a viewport. */
export const sizeName = (viewport: Viewport): string => `${viewport.width}x${viewport.height}`

/** A phone-sized page (375×760 unless told); its console errors and failed requests fail the test that reads them. */
export async function phonePage(browser: Browser, viewport: Viewport = { width: 375, height: 760 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => {
    // 4xx from the functions are answers the app handles; anything else missing is a bug.
    if (response.status() >= 400 && !response.url().includes('/api/functions/')) problems.push(`HTTP ${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    // A test that moves on (goto, reload) aborts what the old page was still loading: not a bug.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return
    if (!request.url().includes('/api/functions/')) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`)
  })
  return { page, problems }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.waitForTimeout(350) // Taro's H5 pages slide in
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

/**
 * Runs axe-core (every rule it has, WCAG 2.x A/AA and best practice) on what the page shows now,
 * and fails on any serious or critical violation, listing each with the elements at fault.
 * Moderate and minor ones are returned for the caller to log or assert on.
 */
export async function expectAccessible(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  const describe = (v: (typeof results.violations)[number]): string =>
    [
      `${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`,
      ...v.nodes.slice(0, 5).map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
      ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
    ].join('\n')
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.equal(blocking.length, 0, `${label}: axe found ${blocking.length} serious or critical violation(s):\n${blocking.map(describe).join('\n')}`)
  return results.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`)
}

/** What counts as interactive: native controls, ARIA widgets, and anything styled as clickable. */
const INTERACTIVE = [
  'a[href]',
  'button',
  'input:not([type=hidden])',
  'select',
  'textarea',
  'summary',
  '[role=button]',
  '[role=link]',
  '[role=tab]',
  '[role=checkbox]',
  '[role=radio]',
  '[role=switch]',
  '[role=menuitem]',
  '[role=option]',
  '[tabindex]:not([tabindex="-1"])',
  'taro-button-core',
  '.weui-tabbar__item',
].join(',')

export type SmallTarget = { element: string; text: string; width: number; height: number }

/**
 * Every visible interactive element on the page (or inside `within`, a CSS selector) is at least
 * `min` CSS px in both directions (44: Apple's HIG, WCAG 2.5.5). Taro's H5 Views have no onclick
 * attribute, so besides native and ARIA controls this takes the outermost elements whose computed
 * cursor is `pointer` — which is why the shop's clickable Views carry a role or `cursor: pointer`.
 * Returns how many targets it checked.
 */
export async function expectTapTargets(page: Page, label: string, { within = 'body', min = 44 }: { within?: string; min?: number } = {}): Promise<number> {
  // tsx compiles this file with esbuild's keepNames, which wraps the functions below in __name().
  await page.evaluate('globalThis.__name ??= (fn) => fn')
  const { checked, small } = await page.evaluate(
    ({ selector, within, min }) => {
      const root = document.querySelector(within)
      if (!root) throw new Error(`no element matches ${within}`)
      const visible = (el: Element): boolean => {
        const rect = el.getBoundingClientRect()
        if (rect.width === 0 || rect.height === 0) return false
        if (el.closest('[aria-hidden="true"], [inert]')) return false
        const style = getComputedStyle(el)
        return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0
      }
      const pointer = (el: Element): boolean => getComputedStyle(el).cursor === 'pointer'
      const found = new Set<Element>(root.querySelectorAll(selector))
      for (const el of root.querySelectorAll('*')) {
        if (pointer(el) && !(el.parentElement && pointer(el.parentElement))) found.add(el)
      }
      const targets = [...found].filter(visible)
      const small = targets
        .map((el) => ({ el, rect: el.getBoundingClientRect() }))
        // Half a pixel of slack for rem rounding.
        .filter(({ rect }) => rect.width < min - 0.5 || rect.height < min - 0.5)
        .map(({ el, rect }) => ({
          element: `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`,
          text: (el.getAttribute('aria-label') || (el as HTMLElement).innerText || '').trim().slice(0, 30),
          width: Math.round(rect.width * 10) / 10,
          height: Math.round(rect.height * 10) / 10,
        }))
      return { checked: targets.length, small }
    },
    { selector: INTERACTIVE, within, min },
  )
  const list = small.map((t: SmallTarget) => `  ${t.element} "${t.text}": ${t.width}×${t.height}`).join('\n')
  assert.equal(small.length, 0, `${label}: ${small.length} tap target(s) smaller than ${min}×${min} CSS px:\n${list}`)
  return checked
}

/** The browser's local shopper id (src/services/localCloud.ts keeps it in localStorage; Taro's H5 storage wraps it as {"data": …}). */
export async function shopperOf(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('localOpenid'))
  const parsed: unknown = JSON.parse(stored ?? 'null')
  const id = typeof parsed === 'object' && parsed !== null ? (parsed as { data?: unknown }).data : parsed
  assert.equal(typeof id, 'string', 'the browser has a local shopper id')
  return String(id)
}

/** A phone page (390×844) signed in as `openid`: Taro's H5 storage keeps `localOpenid` as {"data": …}. */
export async function pageAs(browser: Browser, openid: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await phonePage(browser, VIEWPORTS.phone)
  await opened.page.addInitScript((id) => localStorage.setItem('localOpenid', JSON.stringify({ data: id })), openid)
  return opened
}

/** Taro's H5 toast would otherwise be on the next screenshot, and in axe's way. */
export async function toastGone(page: Page): Promise<void> {
  await page.waitForFunction(() => ![...document.querySelectorAll('.taro__toast, #taro__toast')].some((el) => getComputedStyle(el).display !== 'none'))
}

/**
 * What a person would see, at 390×844 and at 320×568: axe finds nothing serious (the rest is
 * logged), every tap target is 44×44 CSS px, and a screenshot `<file>-<w>x<h>.png` to look at.
 */
export async function lookAtPhones(page: Page, label: string, file: string): Promise<void> {
  await toastGone(page)
  for (const viewport of [VIEWPORTS.phone, VIEWPORTS.small]) {
    await page.setViewportSize(viewport)
    const named = `${label} ${sizeName(viewport)}`
    const minor = await expectAccessible(page, named)
    if (minor.length) console.log(`${named}: moderate/minor axe findings: ${minor.join(', ')}`)
    await expectTapTargets(page, named)
    await screenshot(page, `${file}-${sizeName(viewport)}`)
  }
  await page.setViewportSize(VIEWPORTS.phone)
}

/**
 * Asserts that what `read` returns settles on `expected` within `timeoutMs`. Taro's H5 inputs
 * re-render their inner <input> a moment after React commits, so an attribute read right after
 * the visible text appears can still be the old one; the final value is what is asserted.
 */
export async function expectSettles<T>(read: () => Promise<T>, expected: T, label: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let actual = await read()
  while (!isDeepStrictEqual(actual, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    actual = await read()
  }
  assert.deepStrictEqual(actual, expected, label)
}

/** Waits (up to 5 s) until `check` holds, e.g. a write the page caused has reached the database. */
export const until = (what: string, check: () => boolean): Promise<void> => expectSettles(async () => check(), true, `timed out waiting for ${what}`)
