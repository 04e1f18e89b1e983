import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkAddressForm, chooseAddressFailure, emptyAddressForm, fromWechatAddress, maskedMobile } from './address'

const FORM = { recipient: ' 张三 ', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }

test('a typed form is checked field by field with the server’s rules and trimmed', () => {
  assert.deepEqual(checkAddressForm(FORM), { address: { ...FORM, recipient: '张三' }, errors: {} })
  const { address, errors } = checkAddressForm({ ...emptyAddressForm(), mobile: '1380013800', detail: 'a\nb' })
  assert.equal(address, null)
  assert.deepEqual(errors, {
    recipient: '请填写收货人',
    mobile: '手机号码格式不正确',
    province: '请填写省份',
    city: '请填写城市',
    district: '请填写区县',
    detail: '详细地址不能换行或包含特殊字符',
  })
  assert.equal(checkAddressForm({ ...FORM, detail: '号'.repeat(121) }).errors.detail, '详细地址最多 120 个字')
})

test('WeChat’s address book entry becomes a delivery address; one that breaks the rules says why', () => {
  const wechat = {
    userName: '张三',
    telNumber: '+86 138-0013-8000',
    provinceName: '广东省',
    cityName: '深圳市',
    countyName: '南山区',
    detailInfo: '科技园路 1 号',
  }
  assert.deepEqual(fromWechatAddress(wechat), {
    kind: 'picked',
    address: { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' },
  })
  assert.deepEqual(fromWechatAddress({ ...wechat, telNumber: '020-12345678' }), { kind: 'invalid', message: '这个地址不能用：手机号码格式不正确' })
  assert.equal(fromWechatAddress(null).kind, 'invalid')
})

test('a closed picker is a cancel; a refused permission is told apart', () => {
  assert.deepEqual(chooseAddressFailure({ errMsg: 'chooseAddress:fail cancel' }), { kind: 'cancelled' })
  assert.deepEqual(chooseAddressFailure({ errMsg: 'chooseAddress:fail auth deny' }), { kind: 'denied' })
  assert.deepEqual(chooseAddressFailure(new Error('chooseAddress:fail privacy permission is not authorized')), { kind: 'denied' })
})

test('a mobile number is shown masked', () => {
  assert.equal(maskedMobile('13800138000'), '138****8000')
})
