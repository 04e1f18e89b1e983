import { createHash, randomBytes } from 'node:crypto'
import { OUT_TRADE_NO } from '../core/outTradeNo'
import { AppError, describeForLog } from '../errors'

// One JSON line per invocation, for CloudBase's log search: which function and build, which
// request, which order, who called (never the raw OPENID), how it ended and how long it took.
// Pure: the runtime gathers the facts and prints the line.

/** Who called, as far as the function can tell: the WeChat context, ADMIN_OPENIDS and the path it came by. */
export type CallerKind = 'shopper' | 'staff' | 'system' | 'wechatpay'

export type InvocationRecord = {
  fn: string
  build: string
  requestId: string
  outTradeNo?: string | undefined
  caller: CallerKind
  openidHash?: string | undefined
  /** `ok`, or the error code the caller got. */
  outcome: string
  ms: number
  /** What an operator needs about a failure: the AppError's code, words and detail; a stack for the unexpected. */
  detail?: string | undefined
}

/** Enough to correlate one shopper's calls in the logs, never enough to read back (nor to join with another environment's logs). */
export const OPENID_HASH_HEX = 16
/** A stack or a gateway's words can be long; the line must stay one readable log record. */
export const MAX_DETAIL = 2000
/** Secrets shorter than this are not redacted (they would match ordinary words); keys are 32 characters, OPENIDs 28. */
const MIN_SECRET = 8

/** A short SHA-256 of the OPENID, salted (the environment id), so the logs never hold the OPENID itself. */
export function hashOpenid(openid: string, salt: string): string {
  return createHash('sha256').update(salt).update('\u0000').update(openid).digest('hex').slice(0, OPENID_HASH_HEX)
}

/** The cloud's request id (SCF passes `context.request_id`), or a fresh one when the runtime gave none. */
export function requestIdOf(context: unknown): string {
  const value = typeof context === 'object' && context !== null ? (context as Record<string, unknown>)['request_id'] : undefined
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : randomBytes(16).toString('hex')
}

/** The first well-formed `outTradeNo` of the event or the answer's data: anything else (attacker text included) is not logged. */
export function outTradeNoOf(...sources: unknown[]): string | undefined {
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue
    const value = (source as Record<string, unknown>)['outTradeNo']
    if (typeof value === 'string' && OUT_TRADE_NO.test(value)) return value
  }
  return undefined
}

/** How a failed invocation ends in the log: the code the caller got and the operator's detail. */
export function failureOutcome(error: unknown): { outcome: string; detail: string } {
  if (error instanceof AppError) return { outcome: error.code, detail: describeForLog(error) }
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  return { outcome: 'INTERNAL', detail: text }
}

/** payNotify's answer to WeChat Pay: acknowledged, or refused because nobody could authenticate it. */
export function notifyOutcome(outcome: { ack: boolean; message: string }): { outcome: string; detail?: string } {
  return outcome.ack ? { outcome: 'ok' } : { outcome: 'UNAUTHENTICATED', detail: `payNotify refused: ${outcome.message}` }
}

/** `text` with every secret (at least MIN_SECRET characters) replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= MIN_SECRET) out = out.split(secret).join('[redacted]')
  return out
}

/**
 * The line itself: fixed key order, absent keys left out. The detail is the one free text — it
 * carries other systems' words and use cases' details, which are not ours to trust — so it is
 * cut to MAX_DETAIL and every secret is redacted from it (the APIv2 key, the certificate, the
 * caller's own OPENID); every other value is a name, a code, a hash or a number.
 */
export function invocationLine(record: InvocationRecord, secrets: readonly string[] = []): string {
  const ordered: Record<string, unknown> = {
    fn: record.fn,
    build: record.build,
    requestId: record.requestId,
    outTradeNo: record.outTradeNo,
    caller: record.caller,
    openidHash: record.openidHash,
    outcome: record.outcome,
    ms: Math.max(0, Math.round(record.ms)),
    detail: record.detail === undefined ? undefined : redact(record.detail, secrets).slice(0, MAX_DETAIL),
  }
  return JSON.stringify(ordered)
}
