import { Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { ADDRESS_FIELDS, ADDRESS_LABELS, ADDRESS_LIMITS, type AddressField } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { checkAddressForm, emptyAddressForm, type AddressErrors, type AddressForm } from '../../services/address'
import { addressStore } from '../../stores'
import './index.scss'

/** What the browser may fill in (H5): the standard autocomplete tokens for a delivery address. */
const AUTOCOMPLETE: Record<AddressField, string> = {
  recipient: 'shipping name',
  mobile: 'shipping tel-national',
  province: 'shipping address-level1',
  city: 'shipping address-level2',
  district: 'shipping address-level3',
  detail: 'shipping street-address',
}

const PLACEHOLDERS: Record<AddressField, string> = {
  recipient: '收货人姓名',
  mobile: '11 位手机号码',
  province: '如：广东省',
  city: '如：深圳市',
  district: '如：南山区',
  detail: '街道、楼牌号、单元室等',
}

/** The H5 address form (the mini program uses WeChat's own address book); checked with the server's rules. */
export default function EditAddress() {
  const { params } = useRouter()
  const id = params['id']
  const [form, setForm] = useState<AddressForm>(() => {
    const existing = addressStore.getState().entries.find((entry) => entry.id === id)
    if (!existing) return emptyAddressForm()
    const { id: _id, ...fields } = existing
    return fields
  })
  const [errors, setErrors] = useState<AddressErrors>({})

  function save(): void {
    const checked = checkAddressForm(form)
    setErrors(checked.errors)
    if (!checked.address) {
      void Taro.showToast({ title: Object.values(checked.errors)[0] ?? '请检查地址', icon: 'none' })
      return
    }
    addressStore.getState().save(checked.address, id)
    void Taro.navigateBack()
  }

  return (
    <View className="address-form" role="main">
      <View className="visually-hidden" role="heading" aria-level="1">
        {id ? '编辑收货地址' : '新增收货地址'}
      </View>
      <View className="address-form__card">
        {ADDRESS_FIELDS.map((field) => {
          const error = errors[field]
          return (
            <View key={field} className={`address-field ${error ? 'address-field--bad' : ''}`}>
              <View className="address-field__row">
                <Text className="address-field__label" aria-hidden="true">
                  {ADDRESS_LABELS[field]}
                </Text>
                <Input
                  className={`address-field__input address-field__input--${field}`}
                  value={form[field]}
                  type={field === 'mobile' ? 'number' : 'text'}
                  maxlength={field === 'mobile' ? 11 : ADDRESS_LIMITS[field]}
                  placeholder={PLACEHOLDERS[field]}
                  placeholderClass="address-field__placeholder"
                  ariaLabel={ADDRESS_LABELS[field]}
                  // H5: Taro puts the native <input> inside its own element, and only nativeProps reach it.
                  nativeProps={{
                    'aria-label': ADDRESS_LABELS[field],
                    'aria-invalid': error ? 'true' : undefined,
                    'aria-describedby': error ? `address-error-${field}` : undefined,
                    autocomplete: AUTOCOMPLETE[field],
                  }}
                  onInput={(e) => {
                    const value = e.detail.value
                    setForm((current) => ({ ...current, [field]: value }))
                    // A field being fixed is no longer marked wrong; the others keep their message.
                    setErrors((current) => (current[field] ? { ...current, [field]: undefined } : current))
                  }}
                />
              </View>
              {error ? (
                <Text className="address-field__error" id={`address-error-${field}`}>
                  {error}
                </Text>
              ) : null}
            </View>
          )
        })}
      </View>
      <Text className="address-form__hint">地址只保存在本机，下单时随订单提交给商家用于配送</Text>
      <View className="addresses__bar">
        <Action kind="primary" block className="addresses__add" onClick={save}>
          保存并使用
        </Action>
      </View>
    </View>
  )
}
