import { AppError } from '../errors'

// What the pay service answers, in words a merchant can act on (notes/wechat-pay.md, "What users
// of comparable projects complain about").
const KNOWN: Array<[RegExp, (mchId: string) => string]> = [
  [
    /受理关系不存在|not bound|NOAUTH|sub_mch_id.*(不存在|not exist)/i,
    (mchId) =>
      `商户号 ${mchId} 未与当前云开发环境绑定（受理关系不存在）：请在云开发控制台「设置 → 其他设置 → 微信支付配置」添加该商户号，并在微信支付商户平台确认授权；也请确认 WXPAY_SUB_MCH_ID 填写正确`,
  ],
  [
    /sub_mch_id.*(sub_appid|appid).*(不匹配|match)|appid.*mch_id.*(不匹配|match)/i,
    (mchId) => `商户号 ${mchId} 与小程序 AppID 不匹配：请在微信支付商户平台关联该小程序`,
  ],
  [/签名|SIGNERROR/i, () => '微信支付签名校验失败：请检查 WXPAY_KEY 与 WXPAY_SIGN_TYPE 是否与商户平台一致'],
  [/OUT_TRADE_NO_USED|商户订单号重复/i, () => '商户订单号重复：同一订单号已用不同参数下单'],
  [/ORDERPAID|已支付/i, () => '订单已支付'],
  [/ORDERCLOSED|已关闭/i, () => '订单已关闭'],
  [/NOTENOUGH|余额不足/i, () => '余额不足'],
  [/SYSTEMERROR|系统(繁忙|错误)/i, () => '微信支付系统繁忙，请稍后重试'],
]

export function gatewayRefusal(mchId: string, ...details: Array<string | undefined>): AppError {
  const detail = details.filter(Boolean).join(' / ') || 'unknown error'
  const known = KNOWN.find(([pattern]) => pattern.test(detail))
  const message = known ? `${known[1](mchId)}（微信支付返回：${detail}）` : `微信支付拒绝了请求：${detail}`
  // SYSTEMERROR means "call again with the same parameters": whether it happened is unknown.
  return new AppError('PAY_GATEWAY_ERROR', message, { uncertain: /SYSTEMERROR|系统(繁忙|错误|超时)/i.test(detail) })
}

export function gatewayUnreachable(cause: unknown): AppError {
  return new AppError('PAY_GATEWAY_ERROR', '暂时无法连接微信支付，请稍后重试', { cause, uncertain: true })
}
