import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AFTER_SALE_REASON_MAX } from '../../../cloud/payment/contracts'
import { reasonLength, reasonProblem, reasonToSend } from './afterSale'

test('a reason is one trimmed line: Enter becomes a space', () => {
  assert.equal(reasonToSend('  杯子有裂纹\n\n 请退款  '), '杯子有裂纹 请退款')
  assert.equal(reasonToSend('a\r\nb\tc'), 'a b c')
  assert.equal(reasonLength('一二三\n四'), 5)
})

test('empty, too long or with control characters is refused with the server’s words', () => {
  assert.equal(reasonProblem(' \n '), '请填写售后原因')
  assert.equal(reasonProblem('坏'.repeat(AFTER_SALE_REASON_MAX)), null)
  assert.equal(reasonProblem('坏'.repeat(AFTER_SALE_REASON_MAX + 1)), `售后原因最多 ${AFTER_SALE_REASON_MAX} 个字`)
  assert.equal(reasonProblem('😀'.repeat(AFTER_SALE_REASON_MAX)), null, 'an emoji counts one')
  assert.equal(reasonProblem('坏了\u0007'), '售后原因不能换行或包含特殊字符')
  assert.equal(reasonProblem('收到时包装破损'), null)
})
