// Reads request parameters the way the pay service checks them. cloudPay requests arrive as
// JSON (amounts must be JSON integers: a string fails), APIv2 requests as XML strings.
import { isIP } from 'node:net'
import { Refusal, RETURN_MSG } from './errors'

export type Wire = 'json' | 'xml'

export interface TextRule {
  /** Maximum length in UTF-8 bytes. */
  maxBytes?: number
  pattern?: RegExp
}

export const OUT_TRADE_NO = /^[0-9A-Za-z_-]{6,32}$/
export const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/
export const MCH_ID = /^[0-9A-Za-z_-]{1,32}$/
export const TIME_COMPACT = /^\d{14}$/
const FEN_TEXT = /^-?\d{1,16}$/

export class ParamReader {
  constructor(
    private readonly source: Readonly<Record<string, unknown>>,
    private readonly wire: Wire,
  ) {}

  has(name: string): boolean {
    const value = Object.prototype.hasOwnProperty.call(this.source, name) ? this.source[name] : undefined
    return value !== undefined && value !== null && value !== ''
  }

  text(name: string, rule: TextRule = {}): string {
    if (!this.has(name)) throw Refusal.returnFail(RETURN_MSG.lackParams)
    const value = this.source[name]
    if (typeof value !== 'string') throw Refusal.returnFail(RETURN_MSG.format(name))
    if (rule.maxBytes !== undefined && Buffer.byteLength(value, 'utf8') > rule.maxBytes) {
      throw Refusal.returnFail(RETURN_MSG.length(name))
    }
    if (rule.pattern && !rule.pattern.test(value)) throw Refusal.returnFail(RETURN_MSG.format(name))
    return value
  }

  optText(name: string, rule: TextRule = {}): string | undefined {
    return this.has(name) ? this.text(name, rule) : undefined
  }

  /** An amount in fen: a positive integer. */
  fen(name: string): number {
    if (!this.has(name)) throw Refusal.returnFail(RETURN_MSG.lackParams)
    const value = this.source[name]
    let amount: number
    if (this.wire === 'json') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw Refusal.returnFail(RETURN_MSG.format(name))
      amount = value
    } else {
      if (typeof value !== 'string' || !FEN_TEXT.test(value)) throw Refusal.returnFail(RETURN_MSG.format(name))
      amount = Number(value)
    }
    if (amount <= 0) throw Refusal.returnFail(RETURN_MSG.invalid(name))
    return amount
  }

  ip(name: string): string {
    const value = this.text(name, { maxBytes: 64 })
    if (isIP(value) === 0) throw Refusal.returnFail(RETURN_MSG.invalid(name))
    return value
  }

  url(name: string): string {
    const value = this.text(name, { maxBytes: 256 })
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch {
      throw Refusal.returnFail(RETURN_MSG.format(name))
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw Refusal.returnFail(RETURN_MSG.format(name))
    return value
  }
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
