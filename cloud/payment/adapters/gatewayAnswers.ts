import { fen } from '../core/money'
import type { CloseResult, RefundQueryResult, RefundState } from '../ports'

const REFUND_STATES: readonly RefundState[] = ['SUCCESS', 'PROCESSING', 'CHANGE', 'REFUNDCLOSE']

/** What a closeorder answer means for the order (the reason comes only as words in cloudPay). */
export function closeOutcome(succeeded: boolean, detail: string, errCode = ''): CloseResult {
  if (succeeded) return { closed: true }
  const said = `${errCode} ${detail}`
  if (/ORDERPAID|已支付/.test(said)) return { closed: false, reason: 'paid', detail: said.trim() }
  if (/ORDERCLOSED|已关闭/.test(said)) return { closed: true }
  if (/ORDERNOTEXIST|不存在/.test(said)) return { closed: false, reason: 'not_found', detail: said.trim() }
  if (/5\s*分钟|5 minutes|五分钟/.test(said)) return { closed: false, reason: 'too_early', detail: said.trim() }
  return { closed: false, reason: 'refused', detail: said.trim() }
}

/**
 * One refund out of a refundquery answer, whose refunds are numbered fields
 * (`out_refund_no_0`, `refund_status_0` … — camelCased by the SDK as `outRefundNo0`).
 */
export function refundInQuery(answer: Record<string, unknown>, outRefundNo: string): RefundQueryResult {
  // Some cloudPay answers carry lists instead (outRefundNoList, refundStatusList, refundFeeList).
  const list = answer['outRefundNoList']
  if (Array.isArray(list)) {
    const n = list.indexOf(outRefundNo)
    if (n < 0) return { found: false }
    const status = (answer['refundStatusList'] as unknown[] | undefined)?.[n]
    const amount = Number((answer['refundFeeList'] as unknown[] | undefined)?.[n])
    if (!REFUND_STATES.includes(status as RefundState) || !Number.isSafeInteger(amount)) return { found: false }
    return { found: true, status: status as RefundState, refundFee: fen(amount) }
  }
  const field = (snake: string, n: number): unknown => {
    const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    return answer[`${snake}_${n}`] ?? answer[`${camel}${n}`] ?? answer[`${camel}_${n}`]
  }
  for (let n = 0; n < 50; n++) {
    const no = field('out_refund_no', n)
    if (no === undefined) break
    if (no !== outRefundNo) continue
    const status = field('refund_status', n)
    const amount = Number(field('refund_fee', n))
    if (!REFUND_STATES.includes(status as RefundState) || !Number.isSafeInteger(amount)) return { found: false }
    return { found: true, status: status as RefundState, refundFee: fen(amount) }
  }
  return { found: false }
}
