import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumPath, missingChromium } from '../../scripts/chromium'

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

/** A phone-sized page; its console errors and failed requests fail the test that reads them. */
export async function phonePage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 760 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => {
    // 4xx from the functions are answers the app handles; anything else missing is a bug.
    if (response.status() >= 400 && !response.url().includes('/api/functions/')) problems.push(`HTTP ${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    if (!request.url().includes('/api/functions/')) problems.push(`request failed: ${request.url()}`)
  })
  return { page, problems }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.waitForTimeout(350) // Taro's H5 pages slide in
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}
