import assert from 'node:assert/strict'
import { test } from 'node:test'
import { guardMain, lazyModule, STRIPPED_MARKER, strippedModule, strippedUses } from './guard'

/** Runs `run` with stderr captured; returns what it printed there. */
function stderrOf(run: () => void): string {
  const chunks: string[] = []
  const original = process.stderr.write
  process.stderr.write = ((chunk: unknown) => {
    chunks.push(String(chunk))
    return true
  }) as typeof process.stderr.write
  try {
    run()
  } finally {
    process.stderr.write = original
  }
  return chunks.join('')
}

// Order matters: guardMain counts every use since the process started (the first tests use none).
const stub = () => strippedModule('some-sdk-part', 'no function uses it', ['prepare']) as Record<string, unknown> & ((...args: unknown[]) => unknown)

test('guardMain passes results and errors through when nothing left out was used', async () => {
  assert.deepEqual(await guardMain(async (event) => ({ echo: event }))({ a: 1 }), { echo: { a: 1 } })
  await assert.rejects(
    guardMain(async () => {
      throw new Error('its own failure')
    })({}),
    /its own failure/,
  )
})

test('guardMain fails an invocation that used a left-out part, even if the error was caught', async () => {
  const part = stub()
  const main = guardMain(async () => {
    try {
      void part['anything']
    } catch {
      // swallowed
    }
    return { ok: true }
  })
  const original = process.stderr.write
  process.stderr.write = (() => true) as typeof process.stderr.write
  try {
    await assert.rejects(main({}, {}), /this invocation used parts left out of the function's bundle: some-sdk-part\.anything \(some-sdk-part\)/)
  } finally {
    process.stderr.write = original
  }
})

test('every use of a stand-in throws an error naming the module, records it and prints the marker', () => {
  const part = stub()
  const before = strippedUses().length
  const uses: Array<[string, () => unknown]> = [
    ['a property read', () => part['request']],
    ['a call', () => part()],
    ['new', () => new (part as unknown as new () => unknown)()],
    ['a write', () => (part['x'] = 1)],
    ['`in`', () => 'x' in part],
  ]
  for (const [what, use] of uses) {
    const printed = stderrOf(() => assert.throws(use, /some-sdk-part is left out of this function's bundle \(no function uses it\)/, what))
    assert.match(printed, new RegExp(`^${STRIPPED_MARKER} \\{"module":"some-sdk-part"`), what)
  }
  assert.equal(strippedUses().length - before, uses.length)
})

test("loading an importer is not a use: the interop's __esModule check and symbol keys answer undefined", () => {
  const part = stub()
  const before = strippedUses().length
  assert.equal(part['__esModule'], undefined)
  assert.equal((part as unknown as Record<symbol, unknown>)[Symbol.toPrimitive], undefined)
  assert.equal(strippedUses().length, before)
})

test('an inert member returns another stand-in, which throws on use', () => {
  const prepared = (stub()['prepare'] as () => Record<string, unknown>)()
  assert.throws(() => prepared['orders'], /some-sdk-part is left out.*some-sdk-part\.prepare\(\)\.orders was used/)
})

test('a part used while the function loaded (before guardMain wrapped it) fails every invocation', async () => {
  assert.ok(strippedUses().length > 0, 'the tests above used stand-ins in this process')
  const original = process.stderr.write
  process.stderr.write = (() => true) as typeof process.stderr.write
  try {
    const main = guardMain(async () => ({ ok: true }))
    await assert.rejects(main({}), /this invocation used parts left out of the function's bundle: some-sdk-part/)
    await assert.rejects(main({}), /left out/)
  } finally {
    process.stderr.write = original
  }
})

test('lazyModule loads on the first property read, once', () => {
  let loads = 0
  const mod = lazyModule(() => {
    loads++
    return { parse: (text: string) => text.length, flag: 'x' }
  })
  assert.equal(loads, 0)
  assert.equal(mod.parse('abc'), 3)
  assert.equal('flag' in mod, true)
  assert.equal(loads, 1)
})
