// Two kinds of failure. `Refusal` is a protocol answer the pay service gives (it becomes
// return_code FAIL or result_code FAIL on the wire). `PaySimError` is for the local cloud itself
// (bad /sim/pay input, unknown caller, unknown API): the server maps its code to a response.

export type PaySimErrorCode =
  | 'INVALID_ARGUMENT'
  | 'TRADE_NOT_FOUND'
  | 'TRADE_AMBIGUOUS'
  | 'TRADE_CLOSED'
  | 'TRADE_ALREADY_PAID'
  | 'TRADE_EXPIRED'
  | 'CALLER_UNKNOWN'
  | 'UNKNOWN_API'
  | 'STORE_ERROR'
  | 'CONFIG_ERROR'

export class PaySimError extends Error {
  constructor(
    readonly code: PaySimErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'PaySimError'
  }
}

/** Business error codes as the real service spells them. */
export type PayErrCode =
  'PARAM_ERROR' | 'ORDERPAID' | 'ORDERCLOSED' | 'ORDERNOTEXIST' | 'OUT_TRADE_NO_USED' | 'SYSTEMERROR' | 'INVALID_REQUEST' | 'REFUNDNOTEXIST' | 'TRADE_OVERDUE'

export type RefusalAnswer = { level: 'return'; returnMsg: string } | { level: 'result'; errCode: PayErrCode; errCodeDes: string }

export class Refusal extends Error {
  private constructor(readonly answer: RefusalAnswer) {
    super(answer.level === 'return' ? answer.returnMsg : `${answer.errCode}: ${answer.errCodeDes}`)
    this.name = 'Refusal'
  }

  /** return_code FAIL: the request itself is malformed (missing/ill-formed params, bad signature). */
  static returnFail(returnMsg: string): Refusal {
    return new Refusal({ level: 'return', returnMsg })
  }

  /** return_code SUCCESS, result_code FAIL: a business rule refused the request. */
  static resultFail(errCode: PayErrCode, errCodeDes: string): Refusal {
    return new Refusal({ level: 'result', errCode, errCodeDes })
  }
}

export const RETURN_MSG = {
  lackParams: '缺少参数',
  signError: '签名错误',
  xmlFormat: 'XML格式错误',
  emptyBody: 'post数据为空',
  mchMismatch: '商户号mch_id与appid不匹配',
  format: (name: string) => `${name}参数格式错误`,
  length: (name: string) => `${name}参数长度有误`,
  invalid: (name: string) => `invalid ${name}`,
} as const

export function systemError(): Refusal {
  return Refusal.resultFail('SYSTEMERROR', '系统错误')
}
