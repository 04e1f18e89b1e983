import { ADDRESS_LABELS, ADDRESS_LIMITS, addressFieldProblem, type AddressField, type AddressProblem, type DeliveryAddress } from '../contracts'
import { AppError } from '../errors'
import { parseObject } from '../parse'

export type { DeliveryAddress }

export { MOBILE_PATTERN as MOBILE } from '../contracts'

/**
 * The delivery address of an order, as the shopper typed it: every field a trimmed single line
 * within its limit (counted in characters, so 一 counts one). Unknown keys are ignored and never
 * stored; the operator detail names the field, never its value (an address is personal data).
 * The rules themselves are `addressFieldProblem` in the contracts: the app checks with the same.
 */
export function parseAddress(raw: unknown): DeliveryAddress {
  const input = parseObject(raw, 'address')
  return {
    recipient: line(input, 'recipient'),
    mobile: line(input, 'mobile'),
    province: line(input, 'province'),
    city: line(input, 'city'),
    district: line(input, 'district'),
    detail: line(input, 'detail'),
  }
}

/** An optional delivery note: one trimmed line of at most 200 characters; empty is none. */
export function parseNote(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined
  const note = checked(raw, 'note', 'note')
  return note === '' ? undefined : note
}

/** The operator's words for a refusal; they name the field, never its value. */
function detail(field: AddressField | 'note', kind: AddressProblem['kind']): string {
  // Only a field with a length limit is ever too long (the mobile number has a pattern instead).
  if (kind === 'too_long') return `is longer than ${ADDRESS_LIMITS[field as Exclude<typeof field, 'mobile'>]} characters`
  return { required: 'is required', control: 'has a control character or line break', mobile: 'is not a mainland mobile number' }[kind]
}

function line(input: Record<string, unknown>, field: AddressField): string {
  const raw = input[field]
  return checked(raw === undefined || raw === null ? '' : raw, field, `address.${field}`)
}

function checked(raw: unknown, field: AddressField | 'note', key: string): string {
  if (typeof raw !== 'string') throw new AppError('INVALID_ARGUMENT', `${ADDRESS_LABELS[field]}格式不正确`, { detail: `${key} must be a string` })
  const value = raw.trim()
  const problem = addressFieldProblem(field, value)
  if (problem) throw new AppError('INVALID_ARGUMENT', problem.message, { detail: `${key} ${detail(field, problem.kind)}` })
  return value
}
