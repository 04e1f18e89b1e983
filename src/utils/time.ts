import dayjs from 'dayjs'

/** `2026-11-27 09:30:05` in the shopper's time zone. */
export function formatTime(iso: string | null): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—'
}

/** `mm:ss` (or `h:mm:ss`) left until `iso`; null once it has passed. */
export function remaining(iso: string, nowMs: number): string | null {
  const left = Math.floor((Date.parse(iso) - nowMs) / 1000)
  if (!(left > 0)) return null
  const h = Math.floor(left / 3600)
  const m = Math.floor((left % 3600) / 60)
  const s = left % 60
  const pad = (n: number): string => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`
}
