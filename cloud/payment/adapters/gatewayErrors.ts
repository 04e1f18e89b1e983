import { AppError } from '../errors'

// What the pay service answers, split in two: words a shopper can read, and what an operator
// must fix (the setting, the console page, the merchant number) — logged, never shown. The
// setup mistakes that comparable projects report most are named here (docs/wechat-pay.md).
type Known = { pattern: RegExp; shopper: string; operator: (mchId: string) => string }

const PAY_SETUP = '商家支付设置有误，暂时无法支付，请稍后再试或联系商家'

const KNOWN: Known[] = [
  {
    pattern: /受理关系不存在|not bound|NOAUTH|sub_mch_id.*(不存在|not exist)/i,
    shopper: PAY_SETUP,
    operator: (mchId) =>
      `商户号 ${mchId} 未与当前云开发环境绑定（受理关系不存在）：在云开发控制台「设置 → 其他设置 → 微信支付配置」添加该商户号，并在微信支付商户平台确认授权；确认 WXPAY_SUB_MCH_ID 填写正确`,
  },
  {
    pattern: /sub_mch_id.*(sub_appid|appid).*(不匹配|match)|appid.*mch_id.*(不匹配|match)/i,
    shopper: PAY_SETUP,
    operator: (mchId) => `商户号 ${mchId} 与小程序 AppID 不匹配：在微信支付商户平台关联该小程序`,
  },
  { pattern: /签名|SIGNERROR/i, shopper: PAY_SETUP, operator: () => '微信支付签名校验失败：检查 WXPAY_KEY 与 WXPAY_SIGN_TYPE 是否与商户平台一致' },
  { pattern: /OUT_TRADE_NO_USED|商户订单号重复/i, shopper: '订单信息已变化，请重新下单', operator: () => '商户订单号重复：同一订单号已用不同参数下单' },
  { pattern: /ORDERPAID|已支付/i, shopper: '订单已支付', operator: () => '订单已支付' },
  { pattern: /ORDERCLOSED|已关闭/i, shopper: '订单已关闭，请重新下单', operator: () => '订单已关闭' },
  { pattern: /NOTENOUGH|余额不足/i, shopper: '商户账户余额不足，暂时无法退款', operator: () => '商户可用余额不足（退款）' },
  { pattern: /SYSTEMERROR|系统(繁忙|错误)/i, shopper: '微信支付系统繁忙，请稍后重试', operator: () => '微信支付系统繁忙（SYSTEMERROR），可用相同参数重试' },
]

/** A shopper-safe message for a pay state the code does not know. */
export const PAY_STATE_UNKNOWN = '暂时无法确认支付状态，请稍后刷新'

/** The gateway said no: a shopper message, and the gateway's own words for the logs. */
export function gatewayRefusal(mchId: string, ...details: Array<string | undefined>): AppError {
  const said = details.filter(Boolean).join(' / ') || 'unknown error'
  const known = KNOWN.find(({ pattern }) => pattern.test(said))
  const message = known ? known.shopper : '微信支付暂时无法处理，请稍后重试'
  const detail = `${known ? `${known.operator(mchId)}；` : ''}微信支付返回：${said}`
  // SYSTEMERROR means "call again with the same parameters": whether it happened is unknown.
  return new AppError('PAY_GATEWAY_ERROR', message, { detail, uncertain: /SYSTEMERROR|系统(繁忙|错误|超时)/i.test(said) })
}

export function gatewayUnreachable(cause: unknown): AppError {
  return new AppError('PAY_GATEWAY_ERROR', '暂时无法连接微信支付，请稍后重试', {
    cause,
    uncertain: true,
    detail: `the pay gateway did not answer: ${String((cause as Error | undefined)?.message ?? cause).slice(0, 200)}`,
  })
}
