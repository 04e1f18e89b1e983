// The README's `npx tsx scripts/render-pictures.ts [name]`: it renders the project's own SVG
// illustrations to PNG in headless Chromium, at the committed size and within the size limit;
// the tab icons' palette PNGs read back as the pixels they were made from.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { palettePng, pixelsOf } from '../../scripts/palette-png'
import { launchBrowser } from './browser'

const ROOT = path.resolve(__dirname, '..', '..')

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file)
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG`)
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

test('render-pictures renders the goods SVGs its filter names to 750×750 PNGs within the size limit', { timeout: 60_000 }, async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'pictures-'))
  try {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/render-pictures.ts', 'mug'], {
      cwd: ROOT,
      env: { ...process.env, RENDER_OUT_DIR: out },
    })
    const made = readdirSync(out).sort()
    const expected = readdirSync(path.join(ROOT, 'cloud', 'local', 'seed', 'pictures', 'src'))
      .filter((name) => name.includes('mug'))
      .map((name) => name.replace(/\.svg$/, '.png'))
      .sort()
    assert.ok(expected.length >= 2, 'the mug has several views')
    assert.deepEqual(made, expected, 'only the pictures whose name matches the filter')
    for (const name of made) {
      assert.deepEqual(pngSize(path.join(out, name)), { width: 750, height: 750 })
      assert.ok(statSync(path.join(out, name)).size < 60 * 1024, `${name} stays small`)
      // The committed picture is what the script makes (same size; pixels may differ by font hinting).
      assert.deepEqual(pngSize(path.join(ROOT, 'cloud', 'local', 'seed', 'pictures', name)), { width: 750, height: 750 })
    }
    assert.match(stdout, /mug\.png\s+750×750/)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

test('palettePng: Chromium reads back exactly the pixels it was given, and it refuses more than 256 colours', { timeout: 60_000 }, async () => {
  const size = 32
  // A one-colour glyph with anti-aliased edges: every alpha level of one green, plus clear pixels.
  const rgba = new Uint8Array(size * size * 4)
  for (let p = 0; p < size * size; p++) rgba.set([6, 122, 63, p % 3 === 0 ? 0 : p % 256], p * 4)
  const png = palettePng(size, size, rgba)
  assert.ok(png, 'fits in a palette')
  assert.equal(png[25], 3, 'colour type 3: indexed')
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage()
    const read = await page.evaluate(pixelsOf, { png: png.toString('base64'), size })
    // The canvas stores premultiplied colour: compare alpha exactly, colour where it survives.
    for (let p = 0; p < size * size; p++) {
      const alpha = rgba[p * 4 + 3]!
      assert.equal(read[p * 4 + 3], alpha, `alpha of pixel ${p}`)
      if (alpha === 255) assert.deepEqual(read.slice(p * 4, p * 4 + 3), [6, 122, 63], `colour of pixel ${p}`)
    }
  } finally {
    await browser.close()
  }
  // Every pixel a colour of its own: 1,024 colours.
  const rainbow = new Uint8Array(size * size * 4)
  for (let p = 0; p < size * size; p++) rainbow.set([p & 255, p >> 8, 0, 255], p * 4)
  assert.equal(palettePng(size, size, rainbow), null, 'more than 256 colours: no palette')
})
