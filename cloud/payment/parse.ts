import { AppError } from './errors'

/** What a shopper reads when a request is malformed: nothing they typed can cause it, so no field names. */
export const BAD_REQUEST = '请求参数有误，请刷新后重试'

/**
 * Events are `unknown` until parsed: plain objects only, no prototype tricks, no query-operator
 * keys. Other unknown keys are ignored (a price or an openid in an event never counts).
 */
export function parseObject(value: unknown, what = 'event'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `${what} must be an object` })
  }
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `${what} has a forbidden key: ${key.slice(0, 40)}` })
  }
  return value as Record<string, unknown>
}

export function optionalInt(obj: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `${key} must be an integer from ${min} to ${max}` })
  }
  return value
}

export function optionalString(obj: Record<string, unknown>, key: string, pattern: RegExp): string | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !pattern.test(value)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `${key} is not valid` })
  return value
}

export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' || key.startsWith('$')
}
