import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { serveFile } from '../cloud/local/http/static'
import { launchBrowser } from '../src/e2e/browser'

// The app's share of `npm run bench`: the weapp build against a bare Taro 4 React hello world
// built with the same config, and the H5 time from navigation to the goods list in Chromium
// against the time to render the hello world.

const root = path.resolve(__dirname, '..')

function folderBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size
  }
  return total
}

/** A bare hello world with this project's config, package.json and node_modules. */
export function buildHelloWorld(work: string): { weappBytes: number; h5Dir: string } {
  const dir = path.join(work, 'hello')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(path.join(dir, 'src', 'pages', 'index'), { recursive: true })
  for (const file of ['package.json', 'babel.config.js', 'tsconfig.json', 'project.config.json']) cpSync(path.join(root, file), path.join(dir, file))
  cpSync(path.join(root, 'config'), path.join(dir, 'config'), { recursive: true })
  cpSync(path.join(root, 'types'), path.join(dir, 'types'), { recursive: true })
  cpSync(path.join(root, 'src', 'index.html'), path.join(dir, 'src', 'index.html'))
  // The shared config copies the mini program's sitemap.json: every mini program has one.
  cpSync(path.join(root, 'src', 'sitemap.json'), path.join(dir, 'src', 'sitemap.json'))
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'))
  writeFileSync(
    path.join(dir, 'src', 'app.ts'),
    "import type { PropsWithChildren } from 'react'\nexport default function App({ children }: PropsWithChildren) {\n  return children\n}\n",
  )
  writeFileSync(
    path.join(dir, 'src', 'app.config.ts'),
    "export default defineAppConfig({ pages: ['pages/index/index'], window: { navigationBarTitleText: 'Hello' } })\n",
  )
  writeFileSync(path.join(dir, 'src', 'pages', 'index', 'index.config.ts'), "export default definePageConfig({ navigationBarTitleText: 'Hello' })\n")
  writeFileSync(
    path.join(dir, 'src', 'pages', 'index', 'index.tsx'),
    "import { Text, View } from '@tarojs/components'\nexport default function Index() {\n  return <View className='hello'><Text>Hello world!</Text></View>\n}\n",
  )
  const taro = path.join(root, 'node_modules', '.bin', 'taro')
  for (const type of ['weapp', 'h5'])
    execFileSync(taro, ['build', '--type', type], { cwd: dir, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } })
  return { weappBytes: folderBytes(path.join(dir, 'dist', 'weapp')), h5Dir: path.join(dir, 'dist', 'h5') }
}

/** The staff console's subpackage (src/app.config.ts `subPackages`): shoppers never download it. */
export const STAFF_PACKAGE = path.join('pages', 'staff')

/**
 * The mini program's bytes: what a shopper downloads (the main package and every shopper page)
 * and the staff console's subpackage, which WeChat fetches only when a page in it is opened.
 */
export function weappBytes(): { shopper: number; staff: number } {
  const all = folderBytes(path.join(root, 'dist', 'weapp'))
  const staffDir = path.join(root, 'dist', 'weapp', STAFF_PACKAGE)
  const staff = existsSync(staffDir) ? folderBytes(staffDir) : 0
  return { shopper: all - staff, staff }
}

function staticServer(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname
    void serveFile(res, dir, pathname === '/' ? 'index.html' : pathname, req.method ?? 'GET').then((served) => {
      if (!served) res.writeHead(404).end()
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })))
}

/** ms from navigation start until `selector` is in the page, measured inside the page. */
async function timeToSelector(url: string, selector: string, rounds: number): Promise<number[]> {
  const browser = await launchBrowser()
  const times: number[] = []
  try {
    for (let i = 0; i < rounds; i++) {
      const context = await browser.newContext({ viewport: { width: 375, height: 760 } })
      const page = await context.newPage()
      // A string, not a function: tsx's name helpers would not exist in the page.
      await page.addInitScript(
        `new MutationObserver(function () { if (window.__shownAt === undefined && document.querySelector(${JSON.stringify(selector)})) window.__shownAt = performance.now() }).observe(document, { childList: true, subtree: true })`,
      )
      await page.goto(url)
      await page.waitForFunction('window.__shownAt !== undefined', undefined, { timeout: 20_000 })
      times.push(Number(await page.evaluate('window.__shownAt')))
      await context.close()
    }
  } finally {
    await browser.close()
  }
  return times
}

export async function h5Times(shopUrl: string, helloDir: string, rounds: number): Promise<{ shop: number[]; hello: number[] }> {
  const hello = await staticServer(helloDir)
  try {
    const shop: number[] = []
    const baseline: number[] = []
    // Interleaved, so both see the same machine.
    for (let i = 0; i < rounds; i++) {
      shop.push(...(await timeToSelector(shopUrl, '.goods-card', 1)))
      baseline.push(...(await timeToSelector(hello.url, '.hello', 1)))
    }
    return { shop, hello: baseline }
  } finally {
    hello.server.close()
  }
}
