import { CloudError } from '../services/transport'

export type UiError = { code: string; message: string }

const FRIENDLY: Record<string, string> = {
  TRANSPORT_ERROR: '网络不给力，请稍后重试',
  GOODS_NOT_FOUND: '有商品已下架，请调整后再下单',
  ORDER_NOT_FOUND: '订单不存在',
  CONFIG_ERROR: '商家支付配置有误，请联系商家',
  INTERNAL: '服务暂时不可用，请稍后重试',
  UNAUTHENTICATED: '请在微信中打开',
}

/** An error as the shopper should read it: the server's words where it has them. */
export function toUiError(error: unknown): UiError {
  if (error instanceof CloudError) {
    const message = error.code === 'PAY_GATEWAY_ERROR' || error.code === 'INVALID_ARGUMENT' ? error.message : (FRIENDLY[error.code] ?? error.message)
    return { code: error.code, message }
  }
  return { code: 'UNKNOWN', message: '出了点问题，请稍后重试' }
}
