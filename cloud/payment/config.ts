import { DEFAULT_API_BASE, SIGN_TYPES, type SignType } from './contracts'
import { AppError } from './errors'
import type { PayMode } from './ports'

export { DEFAULT_API_BASE, type SignType }

export type CloudPayConfig = { mode: 'cloudpay'; subMchId: string }
export type MerchantConfig = {
  mode: 'merchant'
  appid: string
  mchId: string
  key: string
  notifyUrl: string
  signType: SignType
  /** Where the APIv2 lives; the local cloud's simulator in development. */
  apiBase: string
  /**
   * `WXPAY_API_SIMULATOR=true`: the API base is the local cloud's simulator, which needs no API
   * certificate for refunds. Said explicitly, never guessed from the URL, and only accepted for a
   * loopback API base.
   */
  simulator: boolean
  /** The API certificate (apiclient_cert.p12) for refunds, from WXPAY_CERT_P12_BASE64. */
  certP12?: Buffer
}
export type PayConfig = CloudPayConfig | MerchantConfig

type Env = Record<string, string | undefined>

/** One refused variable: its name, what it should hold, and — for settings only, never a secret — what it holds. */
export type ConfigProblem = { name: string; hint: string; found?: string }

/** `NAME（hint，现为 found）`: how a problem reads in the operator detail. */
export const problemText = ({ name, hint, found }: ConfigProblem): string => `${name}（${hint}${found === undefined ? '' : `，现为 ${found}`}）`

/**
 * Reads the pay configuration once, at cold start. Every missing or malformed variable is named
 * in one CONFIG_ERROR, so ops fix them all at once instead of one per deployment.
 */
export function loadPayConfig(env: Env): { ok: true; config: PayConfig } | { ok: false; error: AppError; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = []
  const need = (name: string, pattern: RegExp, hint: string): string => {
    const value = env[name]?.trim() ?? ''
    if (value === '') problems.push({ name, hint: `缺少：${hint}` })
    else if (!pattern.test(value)) problems.push({ name, hint: `格式不对：${hint}` })
    return value
  }
  const modeText = (env['PAY_MODE'] ?? '').trim() || 'cloudpay'
  if (modeText !== 'cloudpay' && modeText !== 'merchant') problems.push({ name: 'PAY_MODE', hint: '应为 cloudpay 或 merchant', found: modeText })
  const mode = modeText as PayMode

  let config: PayConfig | undefined
  if (mode === 'cloudpay') {
    const subMchId = need('WXPAY_SUB_MCH_ID', /^\d{8,12}$/, '与云开发环境绑定的微信支付商户号')
    config = { mode, subMchId }
  } else if (mode === 'merchant') {
    const appid = need('WXPAY_APPID', /^wx[0-9a-zA-Z]{14,18}$/, '小程序 AppID')
    const mchId = need('WXPAY_MCH_ID', /^\d{8,12}$/, '微信支付商户号')
    const key = need('WXPAY_KEY', /^[A-Za-z0-9]{32}$/, '32 位 APIv2 密钥')
    const notifyUrl = need('WXPAY_NOTIFY_URL', /^https?:\/\/[^\s]+$/, 'payNotify 的 HTTP 访问地址')
    const signTypeText = (env['WXPAY_SIGN_TYPE'] ?? '').trim() || 'HMAC-SHA256'
    if (!(SIGN_TYPES as readonly string[]).includes(signTypeText))
      problems.push({ name: 'WXPAY_SIGN_TYPE', hint: '应为 HMAC-SHA256 或 MD5', found: signTypeText })
    const apiBase = (env['WXPAY_API_BASE'] ?? '').trim().replace(/\/+$/, '') || DEFAULT_API_BASE
    if (!/^https?:\/\/[^\s/]+$/.test(apiBase)) problems.push({ name: 'WXPAY_API_BASE', hint: '格式不对：如 https://api.mch.weixin.qq.com' })
    const simulatorText = (env['WXPAY_API_SIMULATOR'] ?? '').trim()
    const simulator = simulatorText === 'true'
    if (simulatorText !== '' && simulatorText !== 'true' && simulatorText !== 'false')
      problems.push({ name: 'WXPAY_API_SIMULATOR', hint: '应为 true 或 false', found: simulatorText })
    if (simulator && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(apiBase)) {
      problems.push({ name: 'WXPAY_API_SIMULATOR', hint: '只能与本机模拟器地址一起使用，如 WXPAY_API_BASE=http://127.0.0.1:8787' })
    }
    const certText = (env['WXPAY_CERT_P12_BASE64'] ?? '').trim()
    if (certText !== '' && !/^[A-Za-z0-9+/=\s]+$/.test(certText)) problems.push({ name: 'WXPAY_CERT_P12_BASE64', hint: '格式不对：应为 base64' })
    config = {
      mode,
      appid,
      mchId,
      key,
      notifyUrl,
      signType: signTypeText as SignType,
      apiBase,
      simulator,
      ...(certText ? { certP12: Buffer.from(certText, 'base64') } : {}),
    }
  }
  if (problems.length > 0 || !config) {
    return {
      ok: false,
      error: new AppError('CONFIG_ERROR', '商家支付设置未完成，暂时无法支付，请稍后再试或联系商家', {
        detail: `支付配置有误，请在云函数环境变量中设置：${problems.map(problemText).join('；')}`,
      }),
      problems,
    }
  }
  return { ok: true, config }
}
