// Renders the shop's hand-written SVG illustrations to PNG with Debian's Chromium (headless, every
// request refused): the demo goods pictures (750×750, crisp at 3× on a 250 px wide card) and the
// tab bar icons (81×81: 27 px at 3×). The PNGs are committed; run this after editing an SVG:
//
//   npx tsx scripts/render-pictures.ts            (all)
//   npx tsx scripts/render-pictures.ts coffee     (those whose name contains "coffee")
//
// RENDER_OUT_DIR=<dir> writes the PNGs there instead (the test renders into a temporary folder).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { chromiumPath, missingChromium } from './chromium'
import { palettePng, pixelsOf } from './palette-png'

const ROOT = path.resolve(__dirname, '..')

type Set = { from: string; to: string; size: number; transparent: boolean; maxBytes: number }

const SETS: Set[] = [
  { from: 'cloud/local/seed/pictures/src', to: 'cloud/local/seed/pictures', size: 750, transparent: false, maxBytes: 60 * 1024 },
  { from: 'src/assets/tab/src', to: 'src/assets/tab', size: 81, transparent: true, maxBytes: 4 * 1024 },
]

async function main(): Promise<void> {
  const missing = missingChromium()
  if (missing) throw new Error(missing)
  const filter = process.argv[2] ?? ''
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const tooBig: string[] = []
  try {
    for (const set of SETS) {
      const context = await browser.newContext({ viewport: { width: set.size, height: set.size }, deviceScaleFactor: 1 })
      // Nothing leaves the machine: the SVGs are inline, and every request is refused.
      await context.route('**/*', (route) => route.abort())
      const page = await context.newPage()
      const sources = readdirSync(path.join(ROOT, set.from)).filter((name) => name.endsWith('.svg') && name.includes(filter))
      for (const name of sources.sort()) {
        const svg = readFileSync(path.join(ROOT, set.from, name), 'utf8').replace('<svg ', `<svg width="${set.size}" height="${set.size}" `)
        const background = set.transparent ? 'transparent' : '#ffffff'
        await page.setContent(`<!doctype html><html><body style="margin:0;background:${background}">${svg}</body></html>`)
        await page.evaluate('document.fonts.ready.then(() => true)')
        const out = path.join(process.env['RENDER_OUT_DIR'] ?? path.join(ROOT, set.to), name.replace(/\.svg$/, '.png'))
        await page.locator('svg').screenshot({ path: out, omitBackground: set.transparent })
        // Icons: the same pixels as a palette PNG when they fit in 256 colours (a third the bytes).
        if (set.transparent) {
          const pixels = await page.evaluate(pixelsOf, { png: readFileSync(out).toString('base64'), size: set.size })
          const indexed = palettePng(set.size, set.size, Uint8Array.from(pixels))
          if (indexed) writeFileSync(out, indexed)
        }
        const bytes = statSync(out).size
        if (bytes > set.maxBytes) tooBig.push(`${path.relative(ROOT, out)}: ${Math.round(bytes / 1024)} KB`)
        console.log(`${path.relative(ROOT, out)}  ${set.size}×${set.size}  ${(bytes / 1024).toFixed(1)} KB`)
      }
      await context.close()
    }
  } finally {
    await browser.close()
  }
  if (tooBig.length) throw new Error(`too big (flatten the colours, drop gradients):\n${tooBig.join('\n')}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
