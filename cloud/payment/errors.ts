import type { ErrorCode, Failure } from './contracts'

/** The one error type of the functions: a stable code from a closed set, the original as `cause`. */
export class AppError extends Error {
  /** True when the outcome is unknown (a timeout, a lost answer): the operation may have happened. */
  readonly uncertain: boolean

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; uncertain?: boolean },
  ) {
    super(message, options)
    this.name = 'AppError'
    this.uncertain = options?.uncertain ?? false
  }
}

export function isUncertain(error: unknown): boolean {
  return error instanceof AppError && error.uncertain
}

export function toFailure(error: unknown): Failure {
  if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } }
  return { ok: false, error: { code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' } }
}
