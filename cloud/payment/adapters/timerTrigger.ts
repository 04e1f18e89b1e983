// A timer trigger's event, as the cloud sends it: `{ Type: 'Timer', TriggerName, Time }` (and,
// from some runtimes, the trigger's `Message`). Nothing else: an HTTP-trigger event or anything a
// caller made up has other keys.

const TIMER_KEYS = new Set(['Type', 'TriggerName', 'Time', 'Message'])

export function isTimerEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false
  const fields = event as Record<string, unknown>
  if (!Object.keys(fields).every((key) => TIMER_KEYS.has(key))) return false
  if (fields['Type'] !== 'Timer') return false
  if (typeof fields['TriggerName'] !== 'string' || !/^[A-Za-z0-9_-]{1,60}$/.test(fields['TriggerName'])) return false
  if (typeof fields['Time'] !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(fields['Time'])) return false
  return fields['Message'] === undefined || typeof fields['Message'] === 'string'
}
