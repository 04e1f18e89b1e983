import { randomBytes } from 'node:crypto'
import * as cloud from 'wx-server-sdk'
import { loadPayConfig, type MerchantConfig, type PayConfig } from '../config'
import type { FunctionResult } from '../contracts'
import { AppError, describeForLog, toFailure } from '../errors'
import type { PayGateway } from '../ports'
import type { Caller, CreateOrderDeps, OrderDeps, PayDeps, StaffDeps } from '../usecases/deps'
import type { ReconcileOptions } from '../usecases/reconcile'
import { eventLog, rejectCounter } from './eventLog'
import type { GatewayFactory } from './gateways'
import { goodsRepository } from './goodsRepository'
import { orderRepository } from './orderRepository'
import { orderRequests } from './orderRequests'
import type { SdkDatabase } from './sdkTypes'

/**
 * The composition root of a deployed function, built once per cold start: the SDK, the
 * configuration (parsed from the environment, CONFIG_ERROR naming every problem), the adapters.
 */
export function cloudRuntime(gateways?: GatewayFactory) {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  const db = cloud.database() as unknown as SdkDatabase
  const configResult = loadPayConfig(process.env)
  const clock = { now: () => Date.now() }
  const orders = orderRepository(db)
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
  const seconds = (name: string, fallback: number): number => {
    const value = Number(process.env[name] ?? '')
    return Number.isFinite(value) && value >= 0 && (process.env[name] ?? '') !== '' ? value : fallback
  }

  return {
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
    payDeps(): PayDeps {
      return { orders, clock, gateway: payGateway(), events: eventLog(db) }
    },
    /** Merchant staff, by OPENID (ADMIN_OPENIDS, comma-separated). */
    staffDeps(): StaffDeps {
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

/** Maps a use case's outcome to the `{ ok, data | error }` contract; unexpected errors are logged. */
export async function respond<T>(name: string, run: () => Promise<T>): Promise<FunctionResult<T>> {
  try {
    return { ok: true, data: await run() }
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') console.error(`${name} failed`, error)
    else console.warn(`${name}: ${describeForLog(error)}`)
    return toFailure(error)
  }
}
