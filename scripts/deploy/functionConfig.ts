import { cronMatcher } from '../../cloud/local/runner/timers'
import { DECLARABLE, type VariableSpec } from './variables'

// A function's config.json, read for deployment: what the local cloud runs (timeout, timer
// triggers) is what tcb deploys, and "variables" declares the environment it needs. The limits
// are those tcb documents for cloudbaserc.json (docs/deploy.md has the sources).

export type Trigger = { name: string; type: 'timer'; config: string }
export type FunctionConfig = { timeout: number; triggers: Trigger[]; variables: VariableSpec }
export type ConfigResult = { ok: true; config: FunctionConfig } | { ok: false; problems: string[] }

/** tcb: 1–60 seconds. */
export const TIMEOUT_RANGE = { min: 1, max: 60 } as const
/** tcb: at most 60 characters, letters, digits, - and _, starting with a letter. */
export const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function names(value: unknown, field: string, problems: string[]): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    problems.push(`${field} must be a list of variable names`)
    return []
  }
  const list = value as string[]
  for (const name of list)
    if (!DECLARABLE.includes(name))
      problems.push(`${field}: ${name} is not a function variable the local cloud passes (${DECLARABLE.join(', ')}; the pay ones come with "pay": true)`)
  return list
}

export function parseFunctionConfig(raw: unknown): ConfigResult {
  const problems: string[] = []
  if (!isRecord(raw)) return { ok: false, problems: ['config.json is not a JSON object'] }

  const timeout = raw['timeout']
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < TIMEOUT_RANGE.min || timeout > TIMEOUT_RANGE.max) {
    problems.push(`timeout must be a whole number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max} (is ${JSON.stringify(timeout)})`)
  }

  const triggers: Trigger[] = []
  const rawTriggers = raw['triggers'] ?? []
  if (!Array.isArray(rawTriggers)) problems.push('triggers must be a list')
  else
    for (const [i, trigger] of (rawTriggers as unknown[]).entries()) {
      const at = `triggers[${i}]`
      if (!isRecord(trigger)) {
        problems.push(`${at} is not an object`)
        continue
      }
      const { name, type, config } = trigger
      if (typeof name !== 'string' || !TRIGGER_NAME.test(name)) problems.push(`${at}.name must be 1–60 letters, digits, - or _, starting with a letter`)
      if (type !== 'timer') problems.push(`${at}.type must be "timer" (the only trigger tcb deploys)`)
      if (typeof config !== 'string') {
        problems.push(`${at}.config must be a 7-field cron string`)
        continue
      }
      try {
        cronMatcher(config) // the local cloud's own parser: 7 fields, each something it can run
      } catch (error) {
        problems.push(`${at}.config: ${(error as Error).message}`)
      }
      if (typeof name === 'string' && type === 'timer') triggers.push({ name, type, config: config.trim().split(/\s+/).join(' ') })
    }

  const rawVariables = raw['variables']
  let variables: VariableSpec = { pay: false, required: [], optional: [] }
  if (!isRecord(rawVariables))
    problems.push('variables must be an object: { "pay"?: true, "required"?: [names], "optional"?: [names] } ({} when the function needs none)')
  else {
    const pay = rawVariables['pay'] ?? false
    if (typeof pay !== 'boolean') problems.push('variables.pay must be true or false')
    const unknown = Object.keys(rawVariables).filter((key) => !['pay', 'required', 'optional'].includes(key))
    if (unknown.length > 0) problems.push(`variables: unknown key ${unknown.join(', ')}`)
    variables = {
      pay: pay === true,
      required: names(rawVariables['required'], 'variables.required', problems),
      optional: names(rawVariables['optional'], 'variables.optional', problems),
    }
    const both = variables.required.filter((name) => variables.optional.includes(name))
    if (both.length > 0) problems.push(`variables: ${both.join(', ')} both required and optional`)
  }

  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, config: { timeout: timeout as number, triggers, variables } }
}
