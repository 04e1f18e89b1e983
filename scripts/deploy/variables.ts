import { FUNCTION_CONFIG_VARIABLES } from '../../cloud/local/runner/functionEnv'
import { loadPayConfig, problemText } from '../../cloud/payment/config'

// Which environment variables a function is deployed with, and whether their values would start
// it. The pay variables are whatever `loadPayConfig` — the parser the function runs at cold
// start — reads for the values given: PAY_MODE and that mode's variables, no list kept here.

export type Values = Readonly<Record<string, string | undefined>>

/** What a function's config.json declares under "variables". */
export type VariableSpec = {
  /** PAY_MODE and the variables of the mode it names, checked by loadPayConfig. */
  pay: boolean
  /** Must be set (and well-formed); the function refuses work without them. */
  required: readonly string[]
  /** Deployed when set; the function falls back to a default otherwise. */
  optional: readonly string[]
}

export type Target = 'tcb' | 'local'

/** The variables loadPayConfig reads for `values`, and its verdict (every problem, in its own words). */
export function payVariables(values: Values): { names: string[]; problems: string[] } {
  const read = new Set<string>()
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, key) => {
      if (typeof key !== 'string') return undefined
      read.add(key)
      return values[key]
    },
  })
  const result = loadPayConfig(env)
  return { names: [...read], problems: result.ok ? [] : result.problems.map(problemText) }
}

/** Every variable either pay mode reads: a function takes these through `pay`, never by name. */
export const PAY_VARIABLES: readonly string[] = [
  ...new Set([...payVariables({ PAY_MODE: 'cloudpay' }).names, ...payVariables({ PAY_MODE: 'merchant' }).names]),
].sort()

/** Names a config.json may list under required/optional: the local cloud's allowlist, minus the pay ones and its own switches. */
export const DECLARABLE: readonly string[] = FUNCTION_CONFIG_VARIABLES.filter((name) => !PAY_VARIABLES.includes(name) && name !== 'SILENCE')

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== ''

/** The runtime's own rules for the variables outside loadPayConfig (cloud/payment/adapters/runtime.ts). */
function checkOther(name: string, value: string): string | null {
  if (name === 'ADMIN_OPENIDS') {
    const ids = value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
    if (ids.length === 0) return `${name} (no OPENID in it: comma-separated OPENIDs of the merchant's staff)`
    if (ids.some((id) => !/^[A-Za-z0-9_-]{6,64}$/.test(id))) return `${name} (an item is not an OPENID: comma-separated, letters, digits, _ and -)`
  }
  // The function silently falls back to its default for anything but a non-negative number: a typo would go unnoticed.
  if (name.startsWith('RECONCILE_') && name.endsWith('_SECONDS') && !/^\d+(\.\d+)?$/.test(value.trim())) return `${name} (not a number of seconds)`
  return null
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i

/**
 * What a value must not be in the cloud: a local-cloud placeholder, this machine, the simulator
 * switch, or something tcb's `{{env.X}}` cannot carry — tcb 2.12.10 pastes the value into the
 * JSON of cloudbaserc.json unescaped (mustache with escaping turned off), then turns any string
 * that parses as a JSON object, array or null into that value.
 */
function checkForCloud(name: string, value: string): string | null {
  if (value.includes('{{') || value.includes('}}')) return `${name} (holds a {{…}} placeholder: those are filled in by the local cloud only)`
  if (/["\\]/.test(value) || /\p{Cc}/u.test(value))
    return `${name} (holds a quote, a backslash or a control character, which tcb's {{env.${name}}} cannot carry)`
  try {
    const parsed: unknown = JSON.parse(value)
    if (typeof parsed === 'object') return `${name} (reads as JSON ${parsed === null ? 'null' : 'object'}: tcb would deploy it as such)`
  } catch {
    // not JSON: deployed as the string it is
  }
  if (name === 'WXPAY_API_SIMULATOR' && value.trim() === 'true') return `${name} (true means the local simulator: not in the cloud)`
  if ((name === 'WXPAY_API_BASE' || name === 'WXPAY_NOTIFY_URL') && LOOPBACK.test(value.trim()))
    return `${name} (a loopback address: the cloud cannot reach this machine)`
  return null
}

export type FunctionVariables = {
  /** The variables deployed, with their values: after a deploy, exactly these are online. */
  values: Record<string, string>
  /** Every reason the function would refuse to start or work with them. */
  problems: string[]
  /** What works but will fail later (shown in the plan, not refused). */
  warnings: string[]
}

/** The variables one function is deployed with, and every problem with them. */
export function functionVariables(spec: VariableSpec, values: Values, target: Target): FunctionVariables {
  const deployed: Record<string, string> = {}
  const problems: string[] = []
  const warnings: string[] = []
  if (spec.pay) {
    const pay = payVariables(values)
    problems.push(...pay.problems)
    for (const name of pay.names) if (isSet(values[name])) deployed[name] = values[name]
    // Accepted at cold start; every refund then answers CONFIG_ERROR (merchantGateway's assertCanRefund).
    if (target === 'tcb' && deployed['PAY_MODE']?.trim() === 'merchant' && !deployed['WXPAY_CERT_P12_BASE64']) {
      warnings.push('merchant mode without WXPAY_CERT_P12_BASE64: refunds will answer CONFIG_ERROR until the API certificate is set')
    }
  }
  for (const name of spec.required) {
    const value = values[name]
    if (!isSet(value)) problems.push(`${name} (missing)`)
    else deployed[name] = value
  }
  for (const name of spec.optional) {
    const value = values[name]
    if (isSet(value)) deployed[name] = value
  }
  for (const [name, value] of Object.entries(deployed)) {
    const problem = checkOther(name, value) ?? (target === 'tcb' ? checkForCloud(name, value) : null)
    if (problem) problems.push(problem)
  }
  return { values: deployed, problems, warnings }
}

/** Shown as they are: settings, not secrets. Everything else is masked. */
const PLAIN = new Set([
  'PAY_MODE',
  'WXPAY_SIGN_TYPE',
  'WXPAY_API_BASE',
  'WXPAY_API_SIMULATOR',
  'WXPAY_NOTIFY_URL',
  'WXPAY_APPID',
  'RECONCILE_UNPAID_AFTER_SECONDS',
  'RECONCILE_REFUNDS_AFTER_SECONDS',
])

export const mask = (value: string): string => `••••••(${value.length})`

/** `NAME=value` for a setting, `NAME=••••••(length)` for anything that may be a secret (keys, certificates, merchant numbers, OPENIDs). */
export function shown(name: string, value: string): string {
  return `${name}=${PLAIN.has(name) ? value : mask(value)}`
}

/**
 * A filter for every line printed: each value that is masked in the plan is masked wherever it
 * appears (an error echoing a value, tcb's own output), so no secret reaches a terminal or a CI log.
 */
export function redactor(values: Values): (text: string) => string {
  const secrets = Object.entries(values)
    .filter(([name, value]) => !PLAIN.has(name) && value !== undefined && value.trim().length >= 6)
    .map(([, value]) => value!.trim())
    .sort((a, b) => b.length - a.length)
  return (text) => secrets.reduce((out, secret) => out.split(secret).join(mask(secret)), text)
}
