import { AFTER_SALE_REASON_MAX, type AfterSaleState } from '../../../cloud/payment/contracts'

/** An after-sale request's state in the shopper's words. */
export const AFTER_SALE_LABELS: Record<AfterSaleState, string> = { PENDING: '处理中', APPROVED: '已同意', REJECTED: '已拒绝' }

// The server refuses line breaks and other control characters (core/afterSale.ts): a shopper who
// pressed Enter in the box meant a space, so the reason is sent as one line.
// eslint-disable-next-line no-control-regex -- the characters the server refuses are the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** What is sent: line breaks and tabs folded into spaces, trimmed. */
export const reasonToSend = (typed: string): string => typed.replace(/\s*[\t\n\v\f\r\u2028\u2029]+\s*/g, ' ').trim()

/** Characters as the server counts them (一 counts one, an emoji too). */
export const reasonLength = (typed: string): number => [...reasonToSend(typed)].length

/** Why the reason cannot be sent, in the server's own words; null when it can. */
export function reasonProblem(typed: string): string | null {
  const reason = reasonToSend(typed)
  if (reason === '') return '请填写售后原因'
  if (CONTROL.test(reason)) return '售后原因不能换行或包含特殊字符'
  if ([...reason].length > AFTER_SALE_REASON_MAX) return `售后原因最多 ${AFTER_SALE_REASON_MAX} 个字`
  return null
}
