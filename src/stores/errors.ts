import { CloudError, type ClientErrorCode } from '../services/transport'

export type UiError = { code: string; message: string }

/** Raised on the client: their messages are for developers, the shopper reads these. */
const CLIENT: Record<ClientErrorCode, string> = {
  TRANSPORT_ERROR: '网络不给力，请稍后重试',
  BAD_RESPONSE: '服务暂时不可用，请稍后重试',
}

/** Only for a server answer without words of its own: the server's message is in the shopper's words. */
const FALLBACK: Record<string, string> = {
  GOODS_NOT_FOUND: '有商品已下架，请调整后再下单',
  ORDER_NOT_FOUND: '订单不存在',
  ORDER_STATE_CONFLICT: '订单状态已变化，请刷新后再试',
  CONFIG_ERROR: '商家支付配置有误，请联系商家',
  INTERNAL: '服务暂时不可用，请稍后重试',
  UNAUTHENTICATED: '请在微信中打开',
}

const isClientCode = (code: string): code is ClientErrorCode => Object.hasOwn(CLIENT, code)
const fallback = (code: string): string => (Object.hasOwn(FALLBACK, code) ? FALLBACK[code] : undefined) ?? '出了点问题，请稍后重试'

/** An error as the shopper should read it: the server's words, ours only for what went wrong on the way. */
export function toUiError(error: unknown): UiError {
  if (!(error instanceof CloudError)) return { code: 'UNKNOWN', message: '出了点问题，请稍后重试' }
  if (isClientCode(error.code)) return { code: error.code, message: CLIENT[error.code] }
  // An envelope without a message carries its code as the message (services/transport.ts).
  const said = error.message !== '' && error.message !== error.code ? error.message : undefined
  return { code: error.code, message: said ?? fallback(error.code) }
}
