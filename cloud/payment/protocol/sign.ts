// APIv2 signatures (docs/wechat-pay.md, "Signature"): non-empty params except `sign`,
// sorted by name, `k=v&...&key=KEY`, then MD5 or HMAC-SHA256, uppercase hex.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

import { SIGN_TYPES, type SignType } from '../contracts'

export { SIGN_TYPES, type SignType }

export type SignableParams = Readonly<Record<string, string | number | undefined | null>>

export function isSignType(value: unknown): value is SignType {
  // Stryker disable next-line ConditionalExpression: includes() is already false for anything but these strings; the typeof test only narrows the type
  return typeof value === 'string' && (SIGN_TYPES as readonly string[]).includes(value)
}

/** The exact string that gets hashed. */
export function signingString(params: SignableParams, key: string): string {
  const pairs: string[] = []
  for (const name of Object.keys(params).sort()) {
    if (name === 'sign') continue
    const value = params[name]
    if (value === undefined || value === null) continue
    const text = String(value)
    if (text === '') continue
    pairs.push(`${name}=${text}`)
  }
  pairs.push(`key=${key}`)
  return pairs.join('&')
}

export function sign(params: SignableParams, key: string, signType: SignType = 'MD5'): string {
  const text = signingString(params, key)
  // Stryker disable next-line StringLiteral: 'utf8' is the default of Hash#update and Hmac#update, so '' means the same (the other literals emptied break every test)
  const digest = signType === 'MD5' ? createHash('md5').update(text, 'utf8').digest('hex') : createHmac('sha256', key).update(text, 'utf8').digest('hex')
  return digest.toUpperCase()
}

/** True when `params.sign` is the signature of the other params under `key`. */
export function verifySign(params: SignableParams, key: string, signType: SignType = 'MD5'): boolean {
  const given = params.sign
  if (
    typeof given !== 'string' ||
    // Stryker disable next-line ConditionalExpression,StringLiteral: an empty sign also fails the length comparison below; this only refuses it early
    given === ''
  )
    return false
  // Stryker disable next-line StringLiteral: 'utf8' is the default of Buffer.from, so '' means the same
  const expected = Buffer.from(sign(params, key, signType), 'utf8')
  // Stryker disable next-line StringLiteral: as above
  const actual = Buffer.from(given, 'utf8')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

export interface RequestPaymentParams {
  appId: string
  nonceStr: string
  /** `prepay_id=...` */
  package: string
  signType: SignType
  /** Seconds since the epoch, as a string. */
  timeStamp: string
}

/** paySign for wx.requestPayment: its own five fields, never unifiedorder's `sign`. */
export function paySign(params: RequestPaymentParams, key: string): string {
  const { appId, nonceStr, package: pkg, signType, timeStamp } = params
  return sign({ appId, nonceStr, package: pkg, signType, timeStamp }, key, signType)
}
