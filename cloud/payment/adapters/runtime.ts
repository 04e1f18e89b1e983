import { randomBytes } from 'node:crypto'
import * as cloud from 'wx-server-sdk'
import { loadPayConfig, type MerchantConfig, type PayConfig } from '../config'
import type { FunctionResult } from '../contracts'
import { AppError, toFailure } from '../errors'
import { BAD_REQUEST } from '../parse'
import type { PayGateway, ShippingPort } from '../ports'
import type { Caller, CreateOrderDeps, OrderDeps, PayDeps, StaffDeps } from '../usecases/deps'
import type { ReconcileOptions } from '../usecases/reconcile'
import { eventLog, rejectCounter } from './eventLog'
import type { GatewayFactory } from './gateways'
import { goodsRepository } from './goodsRepository'
import { configProblems, isHealthEvent, payModeOf, readBuildHash, type HealthData } from './health'
import { failureOutcome, hashOpenid, invocationLine, outTradeNoOf, requestIdOf, type CallerKind } from './invocationLog'
import { isHttpTrigger } from './notifyHttp'
import { orderRepository } from './orderRepository'
import { orderRequests } from './orderRequests'
import { uploadShippingInfo, type ShippingOpenApi } from './shippingInfo'
import type { SdkDatabase } from './sdkTypes'

/**
 * The composition root of a deployed function, built once per cold start: the SDK, the
 * configuration (parsed from the environment, CONFIG_ERROR naming every problem), the adapters.
 */
export function cloudRuntime(gateways?: GatewayFactory) {
  const coldStartAt = Date.now()
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  const db = cloud.database() as unknown as SdkDatabase
  const configResult = loadPayConfig(process.env)
  const clock = { now: () => Date.now() }
  const orders = orderRepository(db)
  // 发货信息录入 by 云调用: the function's config.json must declare the API (permissions.openapi).
  const shipping: ShippingPort = { upload: (input) => uploadShippingInfo(cloud.openapi as unknown as ShippingOpenApi, input) }
  let gateway: PayGateway | undefined

  const config = (): PayConfig => {
    if (!configResult.ok) throw configResult.error
    return configResult.config
  }
  const payGateway = (): PayGateway => {
    const c = config()
    if (!gateways) throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: 'this function was built without a pay gateway' })
    gateway ??= gateways(cloud, c)
    return gateway
  }

  const admins = new Set(
    (process.env['ADMIN_OPENIDS'] ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  // Redacted from every invocation line's detail, whatever text carries them.
  const secrets = [process.env['WXPAY_KEY'], process.env['WXPAY_CERT_P12_BASE64']].map((value) => (value ?? '').trim()).filter(Boolean)
  // The deployed folder never changes under a running instance: read once, when first needed.
  let build: string | undefined
  const buildHash = (): string => (build ??= readBuildHash(__dirname))
  const wxContext = (): Record<string, unknown> => cloud.getWXContext() as unknown as Record<string, unknown>

  const health = (name: string): HealthData => ({
    function: name,
    build: buildHash(),
    // A function that never pays or refunds is deployed without the pay variables (docs/deploy.md).
    payMode: !gateways ? 'none' : configResult.ok ? configResult.config.mode : payModeOf(process.env),
    config: !gateways || configResult.ok ? 'ok' : { problems: configProblems(configResult.problems) },
    node: process.version,
    uptimeMs: Date.now() - coldStartAt,
  })

  /**
   * One invocation as ops see it: who called (staff by ADMIN_OPENIDS; no OPENID is the system —
   * `tcb fn invoke`, the console, a timer, another function — unless it came by WeChat Pay's
   * paths, the pay callback or an HTTP trigger), its health answer if it may have one, and its
   * log line.
   */
  const invocation = (name: string, event: unknown, context: unknown) => {
    const startedAt = performance.now()
    const wx = wxContext()
    // Any OPENID at all is a person (the SDK turns an all-digit one into a number): never the system.
    const openid = wx['OPENID'] === undefined || wx['OPENID'] === null || wx['OPENID'] === '' ? undefined : String(wx['OPENID'])
    const source = String(wx['SOURCE'] ?? '')
    const caller: CallerKind = openid
      ? admins.has(openid)
        ? 'staff'
        : 'shopper'
      : source === 'wx_paycallback' || source === 'wx_http' || isHttpTrigger(event)
        ? 'wechatpay'
        : 'system'
    const requestId = requestIdOf(context)
    const salt = String(wx['ENV'] ?? '') || 'taro-wxpay-shop'
    return {
      caller,
      /** Health for the system or staff asking `{ "$health": true }`; undefined for anyone or anything else. */
      health(): FunctionResult<HealthData> | undefined {
        if (!isHealthEvent(event) || (caller !== 'system' && caller !== 'staff')) return undefined
        return { ok: true, data: health(name) }
      },
      /** Prints the invocation's one JSON line. */
      finish(end: { outcome: string; detail?: string | undefined; outTradeNo?: string | undefined }): void {
        const record = {
          fn: name,
          build: buildHash(),
          requestId,
          outTradeNo: end.outTradeNo,
          caller,
          openidHash: openid === undefined ? undefined : hashOpenid(openid, salt),
          outcome: end.outcome,
          ms: performance.now() - startedAt,
          detail: end.detail,
        }
        console.log(invocationLine(record, openid === undefined ? secrets : [...secrets, openid]))
      },
    }
  }

  const seconds = (name: string, fallback: number): number => {
    const value = Number(process.env[name] ?? '')
    return Number.isFinite(value) && value >= 0 && (process.env[name] ?? '') !== '' ? value : fallback
  }

  return {
    invocation,
    /**
     * A client-called function's invocation: health to the system or staff, the same refusal as
     * any `$` key to everyone else (a shopper learns nothing, not even that it exists), otherwise
     * the use case mapped to `{ ok, data | error }` — and one log line either way.
     */
    async respond<T>(name: string, event: unknown, context: unknown, run: () => Promise<T>): Promise<FunctionResult<T> | FunctionResult<HealthData>> {
      const call = invocation(name, event, context)
      const healthAnswer = call.health()
      if (healthAnswer) {
        call.finish({ outcome: 'ok' })
        return healthAnswer
      }
      try {
        if (isHealthEvent(event)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `$health from a caller that may not read it (${call.caller})` })
        const data = await run()
        call.finish({ outcome: 'ok', outTradeNo: outTradeNoOf(event, data) })
        return { ok: true, data }
      } catch (error) {
        call.finish({ ...failureOutcome(error), outTradeNo: outTradeNoOf(event) })
        return toFailure(error)
      }
    },
    source(): string {
      return String(cloud.getWXContext().SOURCE ?? '')
    },
    /** The shopper calling: identity is the WeChat context's OPENID, never a field of the event. */
    caller(): Caller {
      const context = cloud.getWXContext() as unknown as Record<string, unknown>
      const openid = context['OPENID']
      if (typeof openid !== 'string' || openid === '') throw new AppError('UNAUTHENTICATED', '请在微信小程序内打开')
      return { openid, appid: String(context['APPID'] ?? ''), clientIp: String(context['CLIENTIP'] || '127.0.0.1') }
    },
    merchantConfig(): MerchantConfig | undefined {
      const c = config()
      return c.mode === 'merchant' ? c : undefined
    },
    goods() {
      return goodsRepository(db)
    },
    /** `payment_rejects`: counts of notifications nobody could authenticate. */
    rejects() {
      return rejectCounter(db)
    },
    orderDeps(): OrderDeps {
      return { orders, clock }
    },
    payDeps(): PayDeps & { shipping: ShippingPort } {
      return { orders, clock, gateway: payGateway(), events: eventLog(db), shipping }
    },
    /** Merchant staff, by OPENID (ADMIN_OPENIDS, comma-separated). */
    staffDeps(): StaffDeps & { shipping: ShippingPort } {
      if (admins.size === 0) {
        throw new AppError('CONFIG_ERROR', '商家后台尚未开通，请联系商家', {
          detail: '未配置商家工作人员：请在云函数环境变量中设置 ADMIN_OPENIDS（逗号分隔的 OPENID）',
        })
      }
      return { ...this.payDeps(), admins, randomBytes: (n) => randomBytes(n) }
    },
    /** A timer trigger (or another system call): no shopper behind it. */
    isSystemCall(): boolean {
      const context = cloud.getWXContext() as unknown as Record<string, unknown>
      return !context['OPENID']
    },
    reconcileOptions(): ReconcileOptions {
      return { unpaidAfterMs: seconds('RECONCILE_UNPAID_AFTER_SECONDS', 600) * 1000, refundsAfterMs: seconds('RECONCILE_REFUNDS_AFTER_SECONDS', 300) * 1000 }
    },
    createOrderDeps(): CreateOrderDeps {
      return { ...this.payDeps(), goods: goodsRepository(db), requests: orderRequests(db), randomBytes: (n) => randomBytes(n) }
    },
  }
}
