// WeChat Pay speaks Beijing time (UTC+8, no daylight saving); cloud functions run in UTC.
const OFFSET_MS = 8 * 60 * 60 * 1000

/** `yyyyMMddHHmmss` in Beijing time, as `time_expire` / `time_end` use it. */
export function beijingTimestamp(ms: number): string {
  const d = new Date(ms + OFFSET_MS)
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
}

/** Parses `yyyyMMddHHmmss` (Beijing time) to epoch ms; undefined when malformed. */
export function parseBeijingTimestamp(text: string): number | undefined {
  // Stryker disable next-line Regex: dropping ^ or $ changes nothing, the round trip below refuses any text but the 14 digits it formats (the pattern's other mutants break every parse)
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - OFFSET_MS
  return beijingTimestamp(ms) === text ? ms : undefined
}
