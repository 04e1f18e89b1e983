import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { cloudbaserc, type CloudbaseRc } from './cloudbaserc'
import { parseFunctionConfig, TIMEOUT_RANGE, TRIGGER_NAME } from './functionConfig'
import { functionVariables, PAY_VARIABLES } from './variables'

// The generated cloudbaserc.json against what tcb documents (docs/deploy.md): version 2.0,
// envId, functionRoot, functions[] with name, handler, runtime, timeout 1–60, installDependency,
// envVariables of `{{env.X}}` for declared variables only, timer triggers with 7-field cron.

const root = path.resolve(__dirname, '..', '..')
const functionsDir = path.join(root, 'cloud', 'functions')
const names = readdirSync(functionsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
const configs = names.map((name) => {
  const result = parseFunctionConfig(JSON.parse(readFileSync(path.join(functionsDir, name, 'config.json'), 'utf8')))
  if (!result.ok) throw new Error(`${name}: ${result.problems.join('; ')}`)
  return { name, config: result.config }
})

const VALUES = {
  PAY_MODE: 'merchant',
  WXPAY_APPID: 'wx1234567890abcdef',
  WXPAY_MCH_ID: '1230000109',
  WXPAY_KEY: 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm',
  WXPAY_NOTIFY_URL: 'https://pay.example.com/notify',
  WXPAY_CERT_P12_BASE64: 'TUlJQ2VydA==',
  ADMIN_OPENIDS: 'oStaffOpenid0123456789abcdef',
  RECONCILE_UNPAID_AFTER_SECONDS: '900',
}

function generate(): { rc: CloudbaseRc; deployed: Record<string, Record<string, string>> } {
  const deployed: Record<string, Record<string, string>> = {}
  const inputs = configs.map(({ name, config }) => {
    const variables = functionVariables(config.variables, VALUES, 'tcb')
    assert.deepEqual(variables.problems, [], name)
    deployed[name] = variables.values
    return { name, timeout: config.timeout, triggers: config.triggers, variables: Object.keys(variables.values) }
  })
  return { rc: cloudbaserc('prod-1a2b', './dist/cloudfunctions', inputs), deployed }
}

test('every function of the repository, in the shape tcb documents', () => {
  const { rc } = generate()
  assert.equal(rc.version, '2.0', '{{env.X}} needs version 2.0')
  assert.equal(rc.envId, 'prod-1a2b')
  assert.match(rc.functionRoot, /^\.\//, 'relative: tcb joins it to its working directory')
  assert.deepEqual(
    rc.functions.map((f) => f.name),
    names,
  )
  const allowedKeys = new Set(['name', 'handler', 'runtime', 'timeout', 'installDependency', 'envVariables', 'triggers'])
  for (const fn of rc.functions) {
    const { config } = configs.find((c) => c.name === fn.name)!
    for (const key of Object.keys(fn)) assert.ok(allowedKeys.has(key), `${fn.name}.${key}`)
    assert.equal(fn.handler, 'index.main', 'the bundle exports main from index.js')
    assert.match(fn.runtime, /^Nodejs\d+\.\d+$/)
    assert.ok(Number.isInteger(fn.timeout) && fn.timeout >= TIMEOUT_RANGE.min && fn.timeout <= TIMEOUT_RANGE.max, `${fn.name} timeout ${fn.timeout}`)
    assert.equal(fn.timeout, config.timeout, 'the timeout the local cloud runs with')
    assert.equal(fn.installDependency, false, 'the bundle carries its dependencies')
    const declared = new Set([...(config.variables.pay ? PAY_VARIABLES : []), ...config.variables.required, ...config.variables.optional])
    for (const [name, value] of Object.entries(fn.envVariables ?? {})) {
      assert.ok(declared.has(name), `${fn.name}: ${name} is not declared in its config.json`)
      assert.equal(value, `{{env.${name}}}`, `${fn.name}: ${name} is a template, never a value`)
    }
    assert.deepEqual(fn.triggers ?? [], config.triggers)
    for (const trigger of fn.triggers ?? []) {
      assert.match(trigger.name, TRIGGER_NAME)
      assert.equal(trigger.type, 'timer')
      assert.equal(trigger.config.split(' ').length, 7, 'second minute hour day month weekday year')
    }
  }
  assert.equal(rc.functions.find((f) => f.name === 'listGoods')!.envVariables?.['WXPAY_KEY'], undefined, 'no pay secrets where nothing pays')
  assert.ok(rc.functions.find((f) => f.name === 'refundOrder')!.envVariables?.['WXPAY_KEY'])
})

/**
 * What tcb 2.12.10 does with the file (ConfigParser.parseRawConfig in its bundle): mustache over
 * the JSON text with escaping off — `{{env.X}}` becomes X's value, pasted as is — then JSON.parse
 * with a reviver that turns a string holding a JSON object into that object.
 */
function renderLikeTcb(text: string, env: Record<string, string>): unknown {
  const rendered = text.replace(/\{\{\s*env\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => env[name] ?? '')
  return JSON.parse(rendered, (_key, value: unknown) => {
    if (typeof value !== 'string') return value
    try {
      const parsed: unknown = JSON.parse(value)
      return typeof parsed === 'object' ? parsed : value
    } catch {
      return value
    }
  })
}

test('rendered as tcb renders it, each function gets exactly its values', () => {
  const { rc, deployed } = generate()
  const rendered = renderLikeTcb(JSON.stringify(rc, null, 2), VALUES) as CloudbaseRc
  for (const fn of rendered.functions) assert.deepEqual(fn.envVariables ?? {}, deployed[fn.name], fn.name)
  // Why the deploy refuses quotes and backslashes: pasted unescaped, they break the file.
  assert.throws(() => renderLikeTcb(JSON.stringify(rc), { ...VALUES, WXPAY_KEY: 'a"b' }), SyntaxError)
})
