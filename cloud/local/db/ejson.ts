import { BSONRegExp, EJSON } from 'bson'

export type Doc = Record<string, unknown> & { _id: string }

/** Parses an EJSON string from the SDK into plain JS values (Dates, numbers). */
export function parseEjson(text: string): unknown {
  return EJSON.parse(text, { relaxed: true })
}

/** Canonical EJSON keeps int/double/date types exact across the wire and the journal. */
export function stringifyEjson(value: unknown): string {
  return EJSON.stringify(value as Parameters<typeof EJSON.stringify>[0], { relaxed: false })
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/**
 * Prepares a parsed request value for the engine: `db.serverDate()` placeholders
 * (`{ $tcb_server_date: { offset } }`) become the server's time, and BSON regular expressions
 * (`db.RegExp`) become JavaScript ones.
 */
export function resolveServerDates(value: unknown, now: number): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveServerDates(item, now))
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options.replace(/[^imsu]/g, ''))
  if (!isPlainObject(value)) return value
  const marker = value['$tcb_server_date']
  if (isPlainObject(marker) && Object.keys(value).length === 1) {
    const offset = typeof marker['offset'] === 'number' ? marker['offset'] : 0
    return new Date(now + offset)
  }
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = resolveServerDates(item, now)
  return out
}

export function deepClone<T>(value: T): T {
  return structuredClone(value)
}
