import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { build } from 'esbuild'
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

test("the staff function's bundle: every left-out part is replaced, every lazy require is patched, nothing of the left-out packages remains", async () => {
  const applied = new Set<string>()
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
    plugins: [trimPlugin(root, { applied: (file) => applied.add(file) })],
    logLevel: 'silent',
  })
  for (const entry of [...STRIPPED, ...LAZY]) {
    const target = targetOf(root, entry)
    assert.ok(
      [...applied].some((file) => file === target || file.startsWith(target + path.sep)),
      `${entry.file} of ${entry.from.at(-1)} was not found in the bundle: the SDK's layout changed`,
    )
  }
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
  // The guard wraps main: its marker is in the bundle.
  assert.match(result.outputFiles[0]!.text, /STRIPPED_MODULE_USED/)
})
