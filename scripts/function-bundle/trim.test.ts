import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { build } from 'esbuild'
import { bundle } from '../build-functions'
import { SIDE_DIR } from './side'
import { applyReplacements, entrySource, LAZY, STRIPPED, targetOf, trimPlugin } from './trim'

const root = path.resolve(__dirname, '..', '..')

test('a replacement whose text is missing or repeated fails the build: the SDK changed under it', () => {
  assert.equal(applyReplacements('f.js', 'a = require("x");', [['require("x")', 'lazy("x")']]), 'a = lazy("x");')
  assert.throws(
    () => applyReplacements('f.js', 'nothing here', [['require("x")', 'y']]),
    /f\.js: expected the text "require\(\\"x\\"\)" once, found it 0 times/,
  )
  assert.throws(() => applyReplacements('f.js', 'require("x"); require("x")', [['require("x")', 'y']]), /found it 2 times/)
})

test('the staff function as built: every left-out part replaced, every lazy require patched, what loads on first use in side files', async () => {
  const applied = new Set<string>()
  const out = mkdtempSync(path.join(tmpdir(), 'trim-staff-'))
  try {
    await bundle(root, path.join(root, 'cloud', 'functions', 'staff'), path.join(out, 'index.js'), { applied: (file) => applied.add(file) })
    for (const entry of [...STRIPPED, ...LAZY]) {
      const target = targetOf(root, entry)
      assert.ok(
        [...applied].some((file) => file === target || file.startsWith(target + path.sep)),
        `${entry.file} of ${entry.from.at(-1)} was not found in the bundle: the SDK's layout changed`,
      )
    }
    const side = readdirSync(path.join(out, SIDE_DIR))
    for (const name of ['axios@', 'form-data@', 'mime-db@', 'mime-types@', 'jsonwebtoken@', 'xml2js@', 'json-bigint@']) {
      assert.ok(
        side.some((file) => file.startsWith(name)),
        `${SIDE_DIR}/${name}…`,
      )
    }
    const index = readFileSync(path.join(out, 'index.js'), 'utf8')
    assert.match(index, /STRIPPED_MODULE_USED/, 'the guard wraps main')
    assert.match(index, /require\("\.\/lazy\/xml2js@[\d.]+\.js"\)/, 'xml2js from its side file')
    assert.doesNotMatch(index, /3gpdash-qoe-report/, 'no mime-db in index.js')
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

test("nothing of the left-out packages is in the bundle, only the data-model SDK's stand-in", async () => {
  const source = path.join(root, 'cloud', 'functions', 'staff')
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: entrySource(path.join(source, 'index.ts')), resolveDir: source, sourcefile: path.join(source, 'deployed.ts'), loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    write: false,
    metafile: true,
    outfile: path.join(root, '.trim-test', 'index.js'),
    alias: { request: path.join(root, 'cloud', 'payment', 'adapters', 'requestShim.ts') },
    plugins: [trimPlugin(root)],
    logLevel: 'silent',
  })
  const inputs = Object.keys(result.metafile.inputs)
  for (const gone of ['@cloudbase/ai/', '@cloudbase/app/', 'web-streams-polyfill/', '@cloudbase/adapter-wx_mp/'])
    assert.deepEqual(
      inputs.filter((file) => file.includes(`node_modules/${gone}`)),
      [],
      gone,
    )
  const clientSdk = inputs.filter((file) => file.includes('node_modules/@cloudbase/wx-cloud-client-sdk/'))
  assert.equal(clientSdk.length, 1, 'only the stand-in of the data-model SDK')
  assert.ok(result.metafile.inputs[clientSdk[0]!]!.bytes < 1000, 'the stand-in, not the SDK')
})
