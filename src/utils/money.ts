/** An integer number of fen (1/100 yuan). */
export type Fen = number

/** `1990` → `¥19.90`, `-5` → `-¥0.05`. Integer arithmetic only, so no float rounding. */
export function formatFen(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) {
    throw new RangeError(`formatFen expects an integer number of fen, got ${fen}`)
  }
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const yuan = Math.trunc(abs / 100)
  const cents = abs % 100
  return `${sign}¥${yuan}.${String(cents).padStart(2, '0')}`
}
