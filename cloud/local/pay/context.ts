import type { Ledger } from './ledger'
import type { SimClock } from './ports'

/** What the use cases share: state, time, and how fast simulated time runs. */
export interface PayContext {
  ledger: Ledger
  clock: SimClock
  /** Multiplies the simulator's waits (notify retries, the close-order delay, refund settling). */
  timeScale: number
}

export const MINUTE_MS = 60_000
/** closeorder is refused until 5 minutes after the order was created (scaled). */
export const CLOSE_MIN_AGE_MS = 5 * MINUTE_MS
/** A prepay_id lives 2 hours (not scaled: a slow manual test must not lose its cashier). */
export const PREPAY_TTL_MS = 120 * MINUTE_MS
/** time_expire must leave at least this much time (real rule for JSAPI). */
export const MIN_TIME_EXPIRE_MS = 5 * MINUTE_MS
/** How long an accepted refund takes to succeed (scaled). */
export const REFUND_SETTLE_MS = 5_000
export const MAX_REFUNDS_PER_TRADE = 50
export const REFUND_WINDOW_MS = 365 * 24 * 60 * MINUTE_MS

export function scaled(ctx: Pick<PayContext, 'timeScale'>, ms: number): number {
  return Math.max(0, Math.round(ms * ctx.timeScale))
}
