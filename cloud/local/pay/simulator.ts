// The WeChat Pay simulator as a library: the local cloud mounts cloudPayApi behind
// `wx.wxPayApi`, apiV2 behind the APIv2 paths, and simPay behind POST /sim/pay.
import type { ServiceProvider } from './answers'
import { type Merchant, createApiV2 } from './apiV2'
import { paymentNotification, refundNotification, type CallbackKeys } from './callbacks'
import { createCloudPayApi } from './cloudPayApi'
import { validateConfig } from './config'
import type { PayContext } from './context'
import { DEFAULT_NOTIFY_TIMEOUT_MS, createDeliverer } from './delivery'
import { PaySimError } from './errors'
import { createLedger, notificationLock, tradeLock } from './ledger'
import type { OperationsEnv } from './operations'
import type { CallerContext, FunctionInvoker, HttpPoster, SimClock, SimStore } from './ports'
import type { AttemptRecord, Delivery, NotificationRecord, NotificationStatus, TradeMode, TradeState } from './records'
import { parseSimPayInput, settleTrade } from './simPay'

export interface PaySimulatorDeps {
  store: SimStore
  invoker: FunctionInvoker
  poster: HttpPoster
  clock: SimClock
  timeScale: number
  appid: string
  envId: string
  merchants: Array<Merchant>
  cloudPayKey: string
  resolveCaller(token: string): CallerContext | undefined
  /** Sub merchants bound to the cloudPay service provider; defaults to every mchId in `merchants`. */
  boundSubMchIds?: string[]
  /** The provider named as appid/mch_id in cloudPay answers and callbacks (placeholders by default). */
  serviceProvider?: ServiceProvider
  notifyTimeoutMs?: number
}

export interface SimPayResult {
  outTradeNo: string
  mchId: string
  mode: TradeMode
  tradeState: TradeState
  transactionId?: string
  timeEnd?: string
  /** The first delivery attempt of the payment callback (successful payments only). */
  firstAttempt?: AttemptRecord
}

export interface NotificationView {
  id: string
  kind: 'payment' | 'refund'
  mode: TradeMode
  mchId: string
  outTradeNo: string
  outRefundNo?: string
  target: string
  status: NotificationStatus
  attempts: AttemptRecord[]
  nextAttemptAt: number | null
  createdAt: number
  delivery: Delivery
}

export interface PaySimulator {
  cloudPayApi(apiName: string, requestData: unknown, callerToken: string): Promise<Record<string, unknown>>
  apiV2(path: string, xmlBody: string): Promise<string>
  /** Throws PaySimError (INVALID_ARGUMENT, TRADE_NOT_FOUND, TRADE_CLOSED, TRADE_ALREADY_PAID, ...). */
  simPay(input: unknown): Promise<SimPayResult>
  listNotifications(filter?: { outTradeNo?: string }): Promise<NotificationView[]>
  /** Loads stored state and re-arms every pending notification. */
  resume(): Promise<void>
  /** Cancels every timer; in-flight attempts finish and are recorded, nothing new is armed. */
  stop(): void
}

export const DEFAULT_SERVICE_PROVIDER: ServiceProvider = { appid: 'wx0000000000c1dpay', mchId: '1900000000' }

export function createPaySimulator(deps: PaySimulatorDeps): PaySimulator {
  const config = validateConfig(deps)
  const ctx: PayContext = { ledger: createLedger(deps.store), clock: deps.clock, timeScale: deps.timeScale }
  const deliverer = createDeliverer({
    ...ctx,
    invoker: deps.invoker,
    poster: deps.poster,
    notifyTimeoutMs: deps.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS,
  })
  const provider = deps.serviceProvider ?? DEFAULT_SERVICE_PROVIDER
  const keys: CallbackKeys = { provider, merchantKey: (mchId) => config.merchants.get(mchId)?.key }
  const env: OperationsEnv = { ctx, provider, deliverer, refundNotifier: (trade, refund) => refundNotification(trade, refund, keys) }

  async function simPay(input: unknown): Promise<SimPayResult> {
    const parsed = parseSimPayInput(input)
    await ctx.ledger.load()
    const { trade, notification } = await settleTrade(ctx, parsed, (paid, at) => paymentNotification(paid, keys, at))
    const firstAttempt = notification ? await deliverer.attempt(notification._id) : undefined
    return {
      outTradeNo: trade.outTradeNo,
      mchId: trade.mchId,
      mode: trade.mode,
      tradeState: trade.tradeState,
      ...(trade.transactionId !== undefined ? { transactionId: trade.transactionId } : {}),
      ...(trade.timeEnd !== undefined ? { timeEnd: trade.timeEnd } : {}),
      ...(firstAttempt ? { firstAttempt } : {}),
    }
  }

  /** A paid trade or refund whose notification record was lost to a crash gets one now. */
  async function repairNotifications(): Promise<void> {
    const drafts: NotificationRecord[] = []
    for (const trade of ctx.ledger.trades()) {
      if (trade.transactionId === undefined || ctx.ledger.notification(`pay:${trade._id}`)) continue
      drafts.push(...attempted(() => paymentNotification(trade, keys, ctx.clock.now())))
    }
    for (const refund of ctx.ledger.refunds()) {
      const trade = ctx.ledger.trade(refund.tradeId)
      if (trade) drafts.push(...attempted(() => refundNotification(trade, refund, keys)))
    }
    for (const draft of drafts) {
      // Under the trade's lock: a payment being settled right now writes its own notification.
      await ctx.ledger.exclusive([tradeLock(draft.outTradeNo), notificationLock(draft._id)], async () => {
        if (!ctx.ledger.notification(draft._id)) await ctx.ledger.saveNotification(draft)
      })
    }
  }

  return {
    cloudPayApi: createCloudPayApi(env, { ...config, resolveCaller: deps.resolveCaller }),
    apiV2: createApiV2(env, config),
    simPay,
    async listNotifications(filter = {}) {
      await ctx.ledger.load()
      const found = filter.outTradeNo === undefined ? ctx.ledger.notifications() : ctx.ledger.notificationsOf(filter.outTradeNo)
      return found.sort((a, b) => a.createdAt - b.createdAt || a._id.localeCompare(b._id)).map(view)
    },
    async resume() {
      await ctx.ledger.load()
      await repairNotifications()
      deliverer.resume()
    },
    stop: () => deliverer.stop(),
  }
}

function view(n: NotificationRecord): NotificationView {
  return {
    id: n._id,
    kind: n.kind,
    mode: n.mode,
    mchId: n.mchId,
    outTradeNo: n.outTradeNo,
    ...(n.outRefundNo !== undefined ? { outRefundNo: n.outRefundNo } : {}),
    target: n.delivery.kind === 'function' ? `function:${n.delivery.functionName}` : n.delivery.url,
    status: n.status,
    attempts: n.attempts,
    nextAttemptAt: n.nextAttemptAt,
    createdAt: n.createdAt,
    delivery: n.delivery,
  }
}

/** A merchant removed from the configuration cannot be notified: skip it rather than fail start-up. */
function attempted(build: () => NotificationRecord | undefined): NotificationRecord[] {
  try {
    const record = build()
    return record ? [record] : []
  } catch (err) {
    if (err instanceof PaySimError && err.code === 'CONFIG_ERROR') return []
    throw err
  }
}

export { PaySimError }
