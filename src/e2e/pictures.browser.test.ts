// The README's `npx tsx scripts/render-pictures.ts [name]`: it renders the project's own SVG
// illustrations to PNG in headless Chromium, at the committed size and within the size limit.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'

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
