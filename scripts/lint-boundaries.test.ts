import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, test } from 'node:test'
import { ESLint } from 'eslint'

// The import boundaries in eslint.config.mjs, proved on snippets linted as if they sat at a path
// in the repository. The imported modules exist: a path the resolver cannot find is never reported.

const root = path.resolve(__dirname, '..')
const eslint = new ESLint({ cwd: root })

async function ruleHits(filePath: string, code: string, ruleId: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) })
  assert.ok(result, `ESLint linted ${filePath}`)
  const fatal = result.messages.filter((message) => message.fatal)
  assert.deepEqual(fatal, [], `${filePath} parses`)
  return result.messages.filter((message) => message.ruleId === ruleId).map((message) => message.message)
}

const boundaryHits = (filePath: string, code: string): Promise<string[]> => ruleHits(filePath, code, 'import-x/no-restricted-paths')

describe('import boundaries', () => {
  test('the app cannot import the payment module', async () => {
    const hits = await boundaryHits('src/stores/probe.ts', "import { fen } from '../../cloud/payment/core/money'\nexport const f = fen\n")
    assert.equal(hits.length, 1)
    assert.match(hits[0]!, /cloud\/payment\/contracts/)
  })

  test('the app may import the contracts, types and constants', async () => {
    const code =
      "import { CART_LIMITS, type OrderStatus } from '../../cloud/payment/contracts'\nexport const max: number = CART_LIMITS.maxLines\nexport type S = OrderStatus\n"
    assert.deepEqual(await boundaryHits('src/stores/probe.ts', code), [])
  })

  test("the app's tests may start the local cloud, the app may not", async () => {
    const code = "import { startTestCloud } from '../../cloud/local/testing/harness'\nexport const s = startTestCloud\n"
    assert.deepEqual(await boundaryHits('src/stores/probe.test.ts', code), [])
    assert.equal((await boundaryHits('src/stores/probe.ts', code)).length, 1)
  })

  test('the payment module cannot import the local cloud, not even in its tests', async () => {
    const code = "import { readDotEnv } from '../local/config'\nexport const l = readDotEnv\n"
    assert.equal((await boundaryHits('cloud/payment/probe.ts', code)).length, 1)
    assert.equal((await boundaryHits('cloud/payment/probe.test.ts', code)).length, 1)
  })

  test('a cloud function imports the payment module, not the local cloud nor another function', async () => {
    const payment = "import { AppError } from '../../payment/errors'\nexport const e = AppError\n"
    assert.deepEqual(await boundaryHits('cloud/functions/listGoods/index.ts', payment), [])
    const local = "import { readDotEnv } from '../../local/config'\nexport const l = readDotEnv\n"
    assert.equal((await boundaryHits('cloud/functions/listGoods/index.ts', local)).length, 1)
    const sibling = "import { main } from '../queryOrder'\nexport const m = main\n"
    assert.equal((await boundaryHits('cloud/functions/listGoods/index.ts', sibling)).length, 1)
  })

  test("the functions' tests drive them through the local cloud's harness", async () => {
    const code = "import { startTestCloud } from '../local/testing/harness'\nexport const s = startTestCloud\n"
    assert.deepEqual(await boundaryHits('cloud/functions/probe.test.ts', code), [])
  })

  test('the contracts import nothing', async () => {
    const hits = await ruleHits('cloud/payment/contracts.ts', "import { AppError } from './errors'\nexport const e = AppError\n", 'no-restricted-imports')
    assert.equal(hits.length, 1)
  })

  test('the staff contracts import types only: no runtime code of the functions, not even the shopper contracts’ values', async () => {
    const file = 'cloud/payment/staffContracts.ts'
    assert.equal((await ruleHits(file, "import { AppError } from './errors'\nexport const e = AppError\n", 'no-restricted-imports')).length, 1)
    assert.equal((await ruleHits(file, "import { CART_LIMITS } from './contracts'\nexport const c = CART_LIMITS\n", 'no-restricted-imports')).length, 1)
    assert.deepEqual(await ruleHits(file, "import type { OrderView } from './contracts'\nexport type V = OrderView\n", 'no-restricted-imports'), [])
  })

  test('the app may import the staff contracts', async () => {
    const code = "import { parseYuan } from '../../../cloud/payment/staffContracts'\nexport const p = parseYuan\n"
    assert.deepEqual(await boundaryHits('src/pages/staff/probe.ts', code), [])
  })
})
