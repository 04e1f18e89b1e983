import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { ErrorCode } from '../contracts'
import { AppError } from '../errors'
import { assertShopperWords } from './shopperWords'

/** Awaits what must fail: the AppError, once its code is checked and its message is the shopper's words. */
export async function refusal(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof AppError, `not an AppError: ${String(error)}`)
    assert.equal(error.code, code, `${error.code}: ${error.message} — ${error.detail ?? ''}`)
    assertShopperWords(error.message, code)
    return error
  }
  assert.fail(`expected ${code}, but it succeeded`)
}

/** Silences console.log/warn/error for the test and keeps each line, for the operator's record. */
export function captureConsole(t: TestContext): { log: string[]; warn: string[]; error: string[] } {
  const lines = { log: [] as string[], warn: [] as string[], error: [] as string[] }
  for (const level of ['log', 'warn', 'error'] as const) {
    t.mock.method(console, level, (...args: unknown[]) => {
      lines[level].push(args.map(String).join(' '))
    })
  }
  return lines
}
