const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * `2026-11-27 09:30:05` in the phone's time zone. Written out rather than through dayjs: this is
 * the only date format the shopper's pages need, and dayjs would add 7 KB to the main package.
 */
export function formatTime(iso: string | null): string {
  const at = iso ? new Date(iso) : null
  if (!at || Number.isNaN(at.getTime())) return '—'
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
  return `${date} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
}

/** `mm:ss` (or `h:mm:ss`) left until `iso`; null once it has passed. */
export function remaining(iso: string, nowMs: number): string | null {
  const left = Math.floor((Date.parse(iso) - nowMs) / 1000)
  if (!(left > 0)) return null
  const h = Math.floor(left / 3600)
  const m = Math.floor((left % 3600) / 60)
  const s = left % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`
}
