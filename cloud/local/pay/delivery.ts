// Delivers notifications until acknowledged, on WeChat's retry schedule (docs/wechat-pay.md),
// recording every attempt in the store so listNotifications can show it and resume() can
// pick up after a restart.
import { scaled, type PayContext } from './context'
import { notificationLock } from './ledger'
import type { FunctionInvoker, HttpPoster } from './ports'
import type { AttemptRecord, Delivery, NotificationRecord } from './records'
import { parseFlatXml } from '../../payment/protocol/xml'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
/** Waits after each unacknowledged attempt: 15 retries, 24h 4m in all. */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  15 * SECOND,
  15 * SECOND,
  30 * SECOND,
  3 * MINUTE,
  10 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  30 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
  3 * HOUR,
  3 * HOUR,
  3 * HOUR,
  6 * HOUR,
  6 * HOUR,
]
/** How long WeChat waits for a reply before counting the attempt as failed (not scaled). */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 5 * SECOND
const MAX_ERROR_CHARS = 500
const MAX_TIMER_MS = 2 ** 31 - 1

export interface DeliveryDeps extends PayContext {
  invoker: FunctionInvoker
  poster: HttpPoster
  notifyTimeoutMs: number
}

export interface Deliverer {
  /** Arms the timer for a pending notification's next attempt. */
  schedule(record: NotificationRecord): void
  /** Makes one attempt now (if still pending) and records it. */
  attempt(id: string): Promise<AttemptRecord | undefined>
  resume(): void
  stop(): void
}

type Outcome = { acknowledged: boolean; error?: string }

export function createDeliverer(deps: DeliveryDeps): Deliverer {
  const timers = new Map<string, { cancel(): void }>()
  const inFlight = new Map<string, Promise<AttemptRecord | undefined>>()
  let stopped = false

  function arm(id: string, at: number): void {
    timers.get(id)?.cancel()
    if (stopped) return
    const wait = Math.max(0, at - deps.clock.now())
    // Node fires longer timeouts at once; a large timeScale can ask for more than 24.8 days.
    const handle = deps.clock.setTimeout(
      () => {
        timers.delete(id)
        if (wait > MAX_TIMER_MS) return arm(id, at)
        attempt(id).catch(() => arm(id, deps.clock.now() + scaled(deps, RETRY_SCHEDULE_MS[0] ?? 0)))
      },
      Math.min(wait, MAX_TIMER_MS),
    )
    timers.set(id, handle)
  }

  async function send(delivery: Delivery): Promise<Outcome> {
    try {
      if (delivery.kind === 'function') {
        const result = await deps.invoker.invokePayCallback(delivery.functionName, delivery.event)
        const ok = typeof result === 'object' && result !== null && (result as { errcode?: unknown }).errcode === 0
        return ok ? { acknowledged: true } : { acknowledged: false, error: `handler returned ${describe(result)}` }
      }
      const reply = await deps.poster.post(delivery.url, delivery.xml, 'text/xml')
      if (reply.status < 200 || reply.status > 299) return { acknowledged: false, error: `HTTP ${reply.status}: ${reply.body}` }
      const fields = parseFlatXml(reply.body)
      return fields.return_code === 'SUCCESS'
        ? { acknowledged: true }
        : { acknowledged: false, error: `reply return_code ${fields.return_code ?? '(missing)'}: ${reply.body}` }
    } catch (err) {
      return { acknowledged: false, error: err instanceof Error ? `${err.name}: ${err.message}` : describe(err) }
    }
  }

  function sendWithTimeout(delivery: Delivery): Promise<Outcome> {
    let timer: { cancel(): void } | undefined
    const timeout = new Promise<Outcome>((resolve) => {
      timer = deps.clock.setTimeout(() => resolve({ acknowledged: false, error: `no reply within ${deps.notifyTimeoutMs} ms` }), deps.notifyTimeoutMs)
    })
    return Promise.race([send(delivery), timeout]).finally(() => timer?.cancel())
  }

  async function run(id: string): Promise<AttemptRecord | undefined> {
    const pending = deps.ledger.notification(id)
    if (!pending || pending.status !== 'PENDING') return undefined
    timers.get(id)?.cancel()
    timers.delete(id)
    const at = deps.clock.now()
    const outcome = await sendWithTimeout(pending.delivery)
    const attempt: AttemptRecord = {
      at,
      acknowledged: outcome.acknowledged,
      ...(outcome.error !== undefined ? { error: outcome.error.slice(0, MAX_ERROR_CHARS) } : {}),
    }
    return deps.ledger.exclusive([notificationLock(id)], async () => {
      const current = deps.ledger.notification(id) ?? pending
      const attempts = [...current.attempts, attempt]
      const wait = RETRY_SCHEDULE_MS[attempts.length - 1]
      const next: NotificationRecord = attempt.acknowledged
        ? { ...current, attempts, status: 'ACKNOWLEDGED', nextAttemptAt: null }
        : wait === undefined
          ? { ...current, attempts, status: 'GAVE_UP', nextAttemptAt: null }
          : { ...current, attempts, nextAttemptAt: deps.clock.now() + scaled(deps, wait) }
      await deps.ledger.saveNotification(next)
      if (next.nextAttemptAt !== null) arm(id, next.nextAttemptAt)
      return attempt
    })
  }

  function attempt(id: string): Promise<AttemptRecord | undefined> {
    const running = inFlight.get(id)
    if (running) return running
    const started = run(id).finally(() => inFlight.delete(id))
    inFlight.set(id, started)
    return started
  }

  return {
    schedule(record) {
      if (record.status === 'PENDING') arm(record._id, record.nextAttemptAt ?? deps.clock.now())
    },
    attempt,
    resume() {
      stopped = false
      for (const record of deps.ledger.notifications()) {
        if (record.status === 'PENDING' && !inFlight.has(record._id)) arm(record._id, record.nextAttemptAt ?? deps.clock.now())
      }
    },
    stop() {
      stopped = true
      for (const handle of timers.values()) handle.cancel()
      timers.clear()
    },
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
