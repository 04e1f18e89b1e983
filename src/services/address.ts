import { ADDRESS_FIELDS, addressFieldProblem, type AddressField, type DeliveryAddress } from '../../cloud/payment/contracts'
import { isRecord } from '../utils/guards'

// Addresses on the client: checking a typed form with the server's own rules, and turning what
// WeChat's address book (`wx.chooseAddress`) answers into a delivery address.

export type AddressForm = Record<AddressField, string>
export type AddressErrors = Partial<Record<AddressField, string>>

export const emptyAddressForm = (): AddressForm => ({ recipient: '', mobile: '', province: '', city: '', district: '', detail: '' })

/** Every field's problem in the shopper's words (none: an empty object), and the trimmed address. */
export function checkAddressForm(form: AddressForm): { address: DeliveryAddress | null; errors: AddressErrors } {
  const errors: AddressErrors = {}
  const trimmed = emptyAddressForm()
  for (const field of ADDRESS_FIELDS) {
    trimmed[field] = form[field].trim()
    const problem = addressFieldProblem(field, trimmed[field])
    if (problem) errors[field] = problem.message
  }
  return { address: Object.keys(errors).length === 0 ? trimmed : null, errors }
}

/** A stored address passes the same rules again (storage is not trusted); anything else is null. */
export function parseStoredAddress(value: unknown): DeliveryAddress | null {
  if (!isRecord(value)) return null
  const form = emptyAddressForm()
  for (const field of ADDRESS_FIELDS) {
    const v = value[field]
    if (typeof v !== 'string') return null
    form[field] = v
  }
  return checkAddressForm(form).address
}

export type PickedAddress = { kind: 'picked'; address: DeliveryAddress } | { kind: 'cancelled' } | { kind: 'denied' } | { kind: 'invalid'; message: string }

/**
 * What `wx.chooseAddress` gave, as a delivery address: userName, telNumber, provinceName,
 * cityName, countyName, detailInfo. An entry that breaks our rules (a landline number, say) is
 * reported with the reason so the shopper can pick or edit another.
 */
export function fromWechatAddress(value: unknown): PickedAddress {
  if (!isRecord(value)) return { kind: 'invalid', message: '未能读取微信地址，请重新选择' }
  const text = (key: string): string => (typeof value[key] === 'string' ? (value[key] as string) : '')
  const { address, errors } = checkAddressForm({
    recipient: text('userName'),
    mobile: text('telNumber')
      .replace(/[\s-]/g, '')
      .replace(/^\+?86/, ''),
    province: text('provinceName'),
    city: text('cityName'),
    district: text('countyName'),
    detail: [text('streetName'), text('detailInfo')].filter(Boolean).join(''),
  })
  if (address) return { kind: 'picked', address }
  return { kind: 'invalid', message: `这个地址不能用：${Object.values(errors)[0] ?? '请重新选择'}` }
}

/** How `wx.chooseAddress` failed: the shopper closed the picker, or refused the permission. */
export function chooseAddressFailure(error: unknown): PickedAddress {
  const errMsg = isRecord(error) && typeof error['errMsg'] === 'string' ? error['errMsg'] : String(error)
  if (/auth|deny|denied|permission/i.test(errMsg)) return { kind: 'denied' }
  return { kind: 'cancelled' }
}

/** One line for the page: 广东省 深圳市 南山区 科技园路 1 号. */
export const addressLine = (a: DeliveryAddress): string => [a.province, a.city, a.district, a.detail].filter(Boolean).join(' ')

/** 138****8000: enough to recognise, not to copy. */
export const maskedMobile = (mobile: string): string => (mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : mobile)
