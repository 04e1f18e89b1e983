import type { ErrorCode, Failure } from './contracts'

/**
 * The one error type of the functions: a stable code from a closed set, a message in the
 * shopper's words (Chinese, safe to show: no variable names, merchant numbers or console paths),
 * and, separately, `detail` for operators, which goes to the logs and never into a response.
 * The original error is kept as `cause`.
 */
export class AppError extends Error {
  /** True when the outcome is unknown (a timeout, a lost answer): the operation may have happened. */
  readonly uncertain: boolean
  /** What an operator needs to act (which setting, what the gateway said); logged, never returned. */
  readonly detail: string | undefined

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; uncertain?: boolean; detail?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.uncertain = options?.uncertain ?? false
    this.detail = options?.detail
  }
}

export function isUncertain(error: unknown): boolean {
  return error instanceof AppError && error.uncertain
}

/** The failure a caller sees: the code and the shopper's words, never the operator detail. */
export function toFailure(error: unknown): Failure {
  if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } }
  return { ok: false, error: { code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' } }
}

/** One line for the logs: the code, the shopper message and the operator detail. */
export function describeForLog(error: AppError): string {
  return `${error.code}: ${error.message}${error.detail ? ` — ${error.detail}` : ''}`
}

/** Everything known about any error, for logs and stored records (never for a response). */
export function explain(error: unknown): string {
  if (error instanceof AppError) return describeForLog(error)
  return error instanceof Error ? error.message : String(error)
}
