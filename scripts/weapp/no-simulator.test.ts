/**
 * The mini program ships no simulator: the H5 build's HTTP transport to the local cloud, its
 * per-browser shopper id and its simulated cashier sheet (which tells the pay simulator at
 * `/sim/pay`) stay out of `dist/weapp`. Every text file of the build is searched, as written
 * and with non-ASCII characters escaped the way the minifier writes them (`\u6a21\u62df`).
 *
 * Run: npm run test:quick -- scripts/weapp   (which rebuilds dist/weapp first when src/ is newer)
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { before, test } from 'node:test'

const WEAPP_DIST = path.resolve(__dirname, '..', '..', 'dist', 'weapp')

/** What only the H5 simulator path has; each is a sign that part of it was bundled. */
const SIMULATOR_MARKERS = [
  '/sim/', // the pay simulator's routes (/sim/pay)
  '/api/functions/', // the local cloud's HTTP gateway
  'X-WX-OPENID', // the shopper the HTTP gateway is told about
  'localOpenid', // the H5 shopper id kept in storage
  'cashier__', // the simulated cashier sheet's class names
  '模拟', // "simulated": the sheet's title, its failure button and its failure message
]

/** Present in any working mini program of this shop: proves the search reads the real bundle. */
const WEAPP_MARKERS = ['requestPayment', 'callFunction', '立即支付']

const TEXT_FILE = /\.(js|json|wxml|wxss|wxs|txt)$/

function textFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) textFiles(full, out)
    else if (TEXT_FILE.test(entry.name)) out.push(full)
  }
  return out
}

const escaped = (text: string): string => text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** The files of the build that hold `marker` in any of its spellings (case-insensitive). */
function filesWith(files: Map<string, string>, marker: string): string[] {
  const forms = [...new Set([marker, escaped(marker)].map((f) => f.toLowerCase()))]
  return [...files].filter(([, content]) => forms.some((form) => content.includes(form))).map(([file]) => path.relative(WEAPP_DIST, file))
}

let files = new Map<string, string>()

before(() => {
  assert.ok(existsSync(path.join(WEAPP_DIST, 'app.js')), 'dist/weapp is not built (npm run build:weapp)')
  files = new Map(textFiles(WEAPP_DIST).map((file) => [file, readFileSync(file, 'utf8').toLowerCase()]))
})

test('the search reads the whole compiled mini program', () => {
  for (const file of ['app.js', 'app.json', 'common.js', 'pages/order/index.js', 'pages/order/index.wxss']) {
    assert.ok(files.has(path.join(WEAPP_DIST, file)), `dist/weapp/${file} is missing`)
  }
  for (const marker of WEAPP_MARKERS) assert.notDeepEqual(filesWith(files, marker), [], `"${marker}" is nowhere in dist/weapp`)
})

test('dist/weapp holds no simulator code, style or text', () => {
  const found = SIMULATOR_MARKERS.map((marker) => ({ marker, files: filesWith(files, marker) })).filter((hit) => hit.files.length > 0)
  assert.deepEqual(found, [], 'simulator code reached the mini program bundle')
})
