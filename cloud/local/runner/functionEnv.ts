// What a function's process.env holds locally: its documented configuration, the seam that
// points the unmodified wx-server-sdk at the local cloud, and the caller of one invocation.
// Never the local cloud's own environment: a developer's shell carries real keys.

export type CallSource = 'wx_client' | 'wx_paycallback' | 'wx_http' | 'timer'

export type Caller = { source: CallSource; openid?: string; clientIp?: string }

/** The configuration a function may be given (what `.env.example` documents for functions). */
export const FUNCTION_CONFIG_VARIABLES: readonly string[] = [
  'PAY_MODE',
  'WXPAY_SUB_MCH_ID',
  'WXPAY_APPID',
  'WXPAY_MCH_ID',
  'WXPAY_KEY',
  'WXPAY_NOTIFY_URL',
  'WXPAY_SIGN_TYPE',
  'WXPAY_API_BASE',
  'WXPAY_API_SIMULATOR',
  'WXPAY_CERT_P12_BASE64',
  'ADMIN_OPENIDS',
  'RECONCILE_UNPAID_AFTER_SECONDS',
  'RECONCILE_REFUNDS_AFTER_SECONDS',
  // wx-server-sdk's own switch for its slow-request warnings (the tests turn them off).
  'SILENCE',
]

const ALLOWED = new Set(FUNCTION_CONFIG_VARIABLES)

export type FunctionEnvOptions = {
  /** Where the function's wx-server-sdk sends database and cloudPay requests. */
  adminUrl: string
  envId: string
  appid: string
  /** Where the configuration comes from; anything not in FUNCTION_CONFIG_VARIABLES is dropped. */
  functionEnv: Record<string, string | undefined>
}

/** The allowlisted configuration; `{{LOCAL_CLOUD_URL}}` in a value becomes this cloud's own URL. */
export function functionConfig(functionEnv: Record<string, string | undefined>, adminUrl: string): Record<string, string> {
  const origin = new URL(adminUrl).origin
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(functionEnv)) {
    if (value !== undefined && ALLOWED.has(key)) env[key] = value.split('{{LOCAL_CLOUD_URL}}').join(origin)
  }
  return env
}

/** A function instance's environment: its configuration and the seam. */
export function baseFunctionEnv({ adminUrl, envId, functionEnv }: FunctionEnvOptions): Record<string, string> {
  return {
    ...functionConfig(functionEnv, adminUrl),
    // The seam: the unmodified wx-server-sdk posts to TCB_CONTEXT_CNFG.URL; TENCENTCLOUD stops it
    // probing the metadata service; the credentials are dummies the local cloud ignores.
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl }),
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    TENCENTCLOUD: 'true',
    TCB_ENV: envId,
    SCF_NAMESPACE: envId,
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_API_TOKEN',
    // Cloud functions run in UTC.
    TZ: 'UTC',
  }
}

/** What wx-server-sdk reads as the WeChat context of one invocation; `token` names the caller to the local cloud. */
export function callerEnv(appid: string, caller: Caller, token: string): Record<string, string | undefined> {
  return {
    WX_OPENID: caller.openid,
    WX_APPID: caller.source === 'wx_client' ? appid : undefined,
    WX_UNIONID: undefined,
    WX_CLIENTIP: caller.clientIp,
    WX_API_TOKEN: token,
    TCB_SOURCE: caller.source,
    TRIGGER_SRC: caller.source === 'timer' ? 'timer' : undefined,
  }
}

/**
 * The whole environment for running one invocation in a process of your own (a debugger, the
 * cold-start benchmark): `token` must be one the local cloud registered for this caller
 * (`FunctionRunner.registerCaller`, or `POST /api/invocations`).
 */
export function invocationEnv(options: FunctionEnvOptions, caller: Caller, token: string): Record<string, string> {
  const env = baseFunctionEnv(options)
  for (const [key, value] of Object.entries(callerEnv(options.appid, caller, token))) if (value !== undefined) env[key] = value
  return env
}
