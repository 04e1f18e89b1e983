import type { ErrorCode, Failure } from './contracts'

/** The one error type of the functions: a stable code from a closed set, the original as `cause`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AppError'
  }
}

export function toFailure(error: unknown): Failure {
  if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } }
  return { ok: false, error: { code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' } }
}
