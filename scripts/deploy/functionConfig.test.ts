import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { parseFunctionConfig } from './functionConfig'

const root = path.resolve(__dirname, '..', '..')
const functionsDir = path.join(root, 'cloud', 'functions')
const names = readdirSync(functionsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
const source = (name: string, file: string): string => readFileSync(path.join(functionsDir, name, file), 'utf8')
const runtimeSource = readFileSync(path.join(root, 'cloud', 'payment', 'adapters', 'runtime.ts'), 'utf8')

describe('the functions’ own config.json', () => {
  for (const name of names) {
    test(`${name}: deployable, and declares what its handler reads`, () => {
      const result = parseFunctionConfig(JSON.parse(source(name, 'config.json')))
      assert.ok(result.ok, result.ok ? '' : result.problems.join('; '))
      const { variables } = result.config
      const handler = source(name, 'index.ts')
      const declared = [...variables.required, ...variables.optional]
      // A function built with the pay gateways pays or refunds: it needs the pay configuration.
      assert.equal(variables.pay, /\bpayGateways\b/.test(handler), 'pay: true exactly when the handler is built with payGateways')
      // Staff-only work refuses everyone without ADMIN_OPENIDS.
      if (/\b(staffDeps|requireStaff)\b/.test(handler)) assert.ok(variables.required.includes('ADMIN_OPENIDS'), 'staff functions require ADMIN_OPENIDS')
      // The runtime reads ADMIN_OPENIDS in every function (who is staff, in the logs and for health).
      if (/\bcloudRuntime\(/.test(handler) && runtimeSource.includes("'ADMIN_OPENIDS'")) assert.ok(declared.includes('ADMIN_OPENIDS'), 'ADMIN_OPENIDS declared')
      if (/\breconcileOptions\(/.test(handler)) {
        for (const v of ['RECONCILE_UNPAID_AFTER_SECONDS', 'RECONCILE_REFUNDS_AFTER_SECONDS']) assert.ok(variables.optional.includes(v), v)
      } else assert.ok(!declared.some((v) => v.startsWith('RECONCILE_')), 'only reconcile reads RECONCILE_*')
    })
  }
})

describe('parseFunctionConfig', () => {
  const valid = { timeout: 10, variables: {} }

  test('the fields tcb deploys, and nothing else', () => {
    assert.deepEqual(
      parseFunctionConfig({ ...valid, permissions: { openapi: [] }, triggers: [{ name: 'everyMinute', type: 'timer', config: ' 0  * * * * * * ' }] }),
      {
        ok: true,
        config: {
          timeout: 10,
          triggers: [{ name: 'everyMinute', type: 'timer', config: '0 * * * * * *' }],
          variables: { pay: false, required: [], optional: [] },
        },
      },
    )
  })

  test('timeout: a whole number from 1 to 60 (tcb)', () => {
    for (const timeout of [0, 61, 2.5, '10', undefined]) assert.equal(parseFunctionConfig({ ...valid, timeout }).ok, false, String(timeout))
    for (const timeout of [1, 60]) assert.equal(parseFunctionConfig({ ...valid, timeout }).ok, true, String(timeout))
  })

  test('triggers: timer only, a valid name, 7 cron fields the local cloud can run', () => {
    const problems = (trigger: unknown): string[] => {
      const result = parseFunctionConfig({ ...valid, triggers: [trigger] })
      return result.ok ? [] : result.problems
    }
    assert.match(problems({ name: 't', type: 'timer', config: '0 */10 * * * *' }).join(), /7 fields/)
    assert.match(problems({ name: 't', type: 'timer', config: '0 0 2 * * MON *' }).join(), /unsupported cron field/)
    assert.match(problems({ name: '1t', type: 'timer', config: '0 0 2 * * * *' }).join(), /name must be/)
    assert.match(problems({ name: 'x'.repeat(61), type: 'timer', config: '0 0 2 * * * *' }).join(), /name must be/)
    assert.match(problems({ name: 't', type: 'cos', config: '0 0 2 * * * *' }).join(), /type must be "timer"/)
  })

  test('variables: required, with known names only; the pay ones only through "pay"', () => {
    const problems = (variables: unknown): string => {
      const result = parseFunctionConfig({ timeout: 10, variables })
      return result.ok ? '' : result.problems.join('; ')
    }
    assert.match(problems(undefined), /variables must be an object/)
    assert.match(problems({ required: ['WXPAY_KEY'] }), /WXPAY_KEY is not a function variable/)
    assert.match(problems({ optional: ['HOME'] }), /HOME is not a function variable/)
    assert.match(problems({ pay: 'yes' }), /pay must be true or false/)
    assert.match(problems({ required: ['ADMIN_OPENIDS'], optional: ['ADMIN_OPENIDS'] }), /both required and optional/)
    assert.match(problems({ env: [] }), /unknown key env/)
    assert.equal(problems({ pay: true, required: ['ADMIN_OPENIDS'] }), '')
  })
})
