import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ConfigProblem } from '../config'

// The health event `{ "$health": true }`: which build is deployed, in which pay mode, and whether
// its configuration parses — for ops (a system caller or staff), never a shopper, never a secret.

export type HealthData = {
  function: string
  /** The content hash the build wrote beside the bundle (`build.json`), or `unknown`. */
  build: string
  /** `none` for a function that never pays or refunds (built without a pay gateway). */
  payMode: 'cloudpay' | 'merchant' | 'unknown' | 'none'
  /** `ok`, or what the cold-start parser refused: variables named, values never. */
  config: 'ok' | { problems: string[] }
  node: string
  /** Since this instance's cold start. */
  uptimeMs: number
}

/** Exactly `{ "$health": true }`: a `$` key no use case accepts, so it can never be an ordinary request. */
export function isHealthEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Object.getPrototypeOf(event) !== Object.prototype) return false
  const keys = Object.keys(event)
  return keys.length === 1 && keys[0] === '$health' && (event as Record<string, unknown>)['$health'] === true
}

/**
 * The build's hash from `<dir>/build.json` (`{ "hash": "<hex>" }`), or `unknown` when there is
 * none or it is not a hash: a folder deployed without it still answers.
 */
export function readBuildHash(dir: string): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8'))
    const hash = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['hash'] : undefined
    return typeof hash === 'string' && /^[0-9a-f]{6,128}$/i.test(hash) ? hash : 'unknown'
  } catch {
    return 'unknown'
  }
}

/** The pay mode as the parser reads it (blank is cloudpay); anything else is `unknown`, never echoed. */
export function payModeOf(env: Record<string, string | undefined>): HealthData['payMode'] {
  const mode = (env['PAY_MODE'] ?? '').trim() || 'cloudpay'
  return mode === 'cloudpay' || mode === 'merchant' ? mode : 'unknown'
}

/**
 * The problems `loadPayConfig` refused, one per variable: `NAME（what is wrong）`. What the parser
 * found (`found`) is left out, so a value someone pasted into the wrong variable is never answered.
 */
export function configProblems(problems: readonly ConfigProblem[]): string[] {
  return problems.map(({ name, hint }) => `${name}（${hint}）`)
}
