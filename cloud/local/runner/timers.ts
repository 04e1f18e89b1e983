import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { FunctionRunner } from './runner'

// Timer triggers as the cloud runs them: a function's config.json lists
// `{ "type": "timer", "name": …, "config": "<sec> <min> <hour> <day> <month> <weekday> <year>" }`.
// Fields here: `*`, a number, `*/N`, `a-b`, and comma lists of those.

export type TimerTrigger = { functionName: string; name: string; cron: string; matches: (date: Date) => boolean }

function fieldMatcher(field: string, lo: number, hi: number): (value: number) => boolean {
  const parts = field.split(',').map((part) => {
    const step = /^\*\/(\d+)$/.exec(part)
    if (part === '*') return () => true
    if (step) return (v: number) => (v - lo) % Number(step[1]) === 0
    const range = /^(\d+)-(\d+)$/.exec(part)
    if (range) return (v: number) => v >= Number(range[1]) && v <= Number(range[2])
    if (/^\d+$/.test(part) && Number(part) >= lo && Number(part) <= hi) return (v: number) => v === Number(part)
    throw new Error(`unsupported cron field: ${field}`)
  })
  return (value) => parts.some((match) => match(value))
}

/** A 7-field cloud-function cron expression, evaluated in UTC+8 as WeChat's timers are. */
export function cronMatcher(cron: string): (date: Date) => boolean {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 7) throw new Error(`a timer needs 7 fields (sec min hour day month weekday year): ${cron}`)
  const [sec, min, hour, day, month, weekday, year] = fields as [string, string, string, string, string, string, string]
  const m = [
    fieldMatcher(sec, 0, 59),
    fieldMatcher(min, 0, 59),
    fieldMatcher(hour, 0, 23),
    fieldMatcher(day, 1, 31),
    fieldMatcher(month, 1, 12),
    fieldMatcher(weekday, 0, 6),
    fieldMatcher(year, 1970, 2199),
  ]
  return (date) => {
    const d = new Date(date.getTime() + 8 * 3600 * 1000)
    const values = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCDay(), d.getUTCFullYear()]
    return m.every((match, i) => match(values[i]!))
  }
}

export function readTimerTriggers(functionsDir: string): TimerTrigger[] {
  const triggers: TimerTrigger[] = []
  let names: string[] = []
  try {
    names = readdirSync(functionsDir)
  } catch {
    return triggers
  }
  for (const functionName of names) {
    let config: unknown
    try {
      config = JSON.parse(readFileSync(path.join(functionsDir, functionName, 'config.json'), 'utf8'))
    } catch {
      continue
    }
    const list = (config as { triggers?: unknown }).triggers
    if (!Array.isArray(list)) continue
    for (const t of list as Array<{ type?: unknown; name?: unknown; config?: unknown }>) {
      if (t.type !== 'timer' || typeof t.config !== 'string') continue
      triggers.push({ functionName, name: String(t.name ?? 'timer'), cron: t.config, matches: cronMatcher(t.config) })
    }
  }
  return triggers
}

/** The event a timer trigger's function receives in the cloud: no shopper, second precision (`2026-11-27T04:10:00Z`). */
export function timerEvent(triggerName: string, at: Date): { Type: 'Timer'; TriggerName: string; Time: string } {
  return { Type: 'Timer', TriggerName: triggerName, Time: at.toISOString().replace(/\.\d{3}Z$/, 'Z') }
}

/** Fires each matching timer once a second; returns a stop function. */
export function startTimers(runner: FunctionRunner, triggers: TimerTrigger[], log: (line: string) => void): () => void {
  let last = Math.floor(Date.now() / 1000)
  const tick = setInterval(() => {
    const now = Math.floor(Date.now() / 1000)
    for (let s = last + 1; s <= now; s++) {
      const at = new Date(s * 1000)
      for (const trigger of triggers) {
        if (!trigger.matches(at)) continue
        void runner.invoke(trigger.functionName, timerEvent(trigger.name, at), { source: 'timer' }).then((outcome) => {
          log(
            `timer ${trigger.functionName}/${trigger.name}: ${outcome.ok ? JSON.stringify(outcome.result).slice(0, 200) : `${outcome.code} ${outcome.message}`}`,
          )
        })
      }
    }
    last = now
  }, 1000)
  tick.unref()
  return () => clearInterval(tick)
}
