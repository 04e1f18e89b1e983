import { ADDRESS_LIMITS, type DeliveryAddress } from '../contracts'
import { AppError } from '../errors'
import { parseObject } from '../parse'

export type { DeliveryAddress }

/** A mainland mobile number: 11 digits starting 13–19. */
export const MOBILE = /^1[3-9]\d{9}$/
/** C0 and C1 control characters (line breaks among them) and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

type Field = keyof DeliveryAddress
const LABELS: Record<Field, string> = { recipient: '收货人', mobile: '手机号码', province: '省份', city: '城市', district: '区县', detail: '详细地址' }

/**
 * The delivery address of an order, as the shopper typed it: every field a trimmed single line
 * within its limit (counted in characters, so 一 counts one). Unknown keys are ignored and never
 * stored; the operator detail names the field, never its value (an address is personal data).
 */
export function parseAddress(raw: unknown): DeliveryAddress {
  const input = parseObject(raw, 'address')
  const recipient = line(input, 'recipient', ADDRESS_LIMITS.recipient)
  const mobile = line(input, 'mobile', Infinity)
  if (!MOBILE.test(mobile)) throw new AppError('INVALID_ARGUMENT', '手机号码格式不正确', { detail: 'address.mobile is not a mainland mobile number' })
  return {
    recipient,
    mobile,
    province: line(input, 'province', ADDRESS_LIMITS.province),
    city: line(input, 'city', ADDRESS_LIMITS.city),
    district: line(input, 'district', ADDRESS_LIMITS.district),
    detail: line(input, 'detail', ADDRESS_LIMITS.detail),
  }
}

/** An optional delivery note: one trimmed line of at most 200 characters; empty is none. */
export function parseNote(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined
  const note = text(raw, 'note', '备注', ADDRESS_LIMITS.note)
  return note === '' ? undefined : note
}

function line(input: Record<string, unknown>, field: Field, max: number): string {
  const raw = input[field]
  const label = LABELS[field]
  const value = raw === undefined || raw === null ? '' : text(raw, `address.${field}`, label, max)
  if (value === '') throw new AppError('INVALID_ARGUMENT', `请填写${label}`, { detail: `address.${field} is required` })
  return value
}

function text(raw: unknown, key: string, label: string, max: number): string {
  if (typeof raw !== 'string') throw new AppError('INVALID_ARGUMENT', `${label}格式不正确`, { detail: `${key} must be a string` })
  const value = raw.trim()
  if (CONTROL.test(value)) throw new AppError('INVALID_ARGUMENT', `${label}不能换行或包含特殊字符`, { detail: `${key} has a control character or line break` })
  if ([...value].length > max) throw new AppError('INVALID_ARGUMENT', `${label}最多 ${max} 个字`, { detail: `${key} is longer than ${max} characters` })
  return value
}
