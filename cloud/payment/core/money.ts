import { AppError } from '../errors'

declare const fenBrand: unique symbol
/** An amount of money in integer fen (分). Never a float, never yuan. */
export type Fen = number & { readonly [fenBrand]: true }

/** WeChat Pay's total_fee is a 32-bit signed integer of fen. */
export const MAX_TOTAL_FEN = 2_147_483_647

export function fen(value: unknown, what = 'amount'): Fen {
  if (
    !Number.isSafeInteger(value) ||
    // Stryker disable next-line ConditionalExpression: Number.isSafeInteger is already false for anything but a number; this test only narrows the type for `value < 0`
    typeof value !== 'number' ||
    value < 0
  ) {
    throw new AppError('INVALID_ARGUMENT', '金额有误', { detail: `${what} must be a non-negative integer number of fen` })
  }
  return value as Fen
}

export function addFen(a: Fen, b: Fen): Fen {
  return fen(a + b)
}

export function timesQuantity(price: Fen, quantity: number): Fen {
  return fen(price * quantity)
}
