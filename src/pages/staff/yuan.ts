/** The most a typed amount may be: 9 digits of yuan keeps every fen a safe integer and is far above any order. */
const YUAN = /^(\d{1,9})(?:\.(\d{0,2}))?$/

/**
 * An amount typed by a person in yuan ("12", "12.3", "12.30", "¥12.34") → integer fen, exactly:
 * the digits are read as text, never through a float (0.1 + 0.2 stays out). Null for anything
 * else: empty, negative, more than two decimals, exponents, thousands separators.
 */
export function parseYuan(text: string): number | null {
  const match = YUAN.exec(text.trim().replace(/^[¥￥]\s*/, ''))
  if (!match) return null
  const [, yuan = '', fraction = ''] = match
  return Number(yuan) * 100 + Number(fraction.padEnd(2, '0'))
}
