import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { BUILT_FUNCTIONS, callFunction, type TestCloud } from './harness'

export const SUB_MCH_ID = '1900000109'
export const MERCHANT_MCH_ID = '1900000110'
export const APPID = 'wx0000000000test'

export function cloudPayEnv(): Record<string, string> {
  return { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: SUB_MCH_ID }
}

/** A fresh random APIv2 key per test run: no key literal anywhere. */
export function merchantEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PAY_MODE: 'merchant',
    WXPAY_APPID: APPID,
    WXPAY_MCH_ID: MERCHANT_MCH_ID,
    WXPAY_KEY: randomBytes(16).toString('hex'),
    WXPAY_SIGN_TYPE: 'HMAC-SHA256',
    WXPAY_NOTIFY_URL: '{{LOCAL_CLOUD_URL}}/api/http/payNotify',
    WXPAY_API_BASE: '{{LOCAL_CLOUD_URL}}',
    WXPAY_API_SIMULATOR: 'true',
    ...overrides,
  }
}

/**
 * A functions folder with the built functions, minus `without`, plus aliases (another name for
 * a built function: the same deployable code, reachable when the original is "missing").
 */
export function functionsFolder(without: string[] = [], aliases: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'functions-'))
  for (const name of readdirSync(BUILT_FUNCTIONS)) if (!without.includes(name)) symlinkSync(path.join(BUILT_FUNCTIONS, name), path.join(dir, name))
  for (const [alias, target] of Object.entries(aliases)) symlinkSync(path.join(BUILT_FUNCTIONS, target), path.join(dir, alias))
  return dir
}

type Ok<T> = { ok: true; data: T }
type Err = { ok: false; error: { code: string; message: string } }
export type Result<T> = Ok<T> | Err

export async function call<T = Record<string, unknown>>(cloud: TestCloud, name: string, event: unknown, openid: string): Promise<Result<T>> {
  const { status, body } = await callFunction(cloud.url, name, event, openid)
  if (status !== 200) throw new Error(`${name} answered HTTP ${status}: ${JSON.stringify(body)}`)
  return body as Result<T>
}

export function data<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`)
  return result.data
}

export type OrderView = { outTradeNo: string; status: string; totalFee: number; transactionId: string | null; payment: Record<string, string> | null }

/** Where every test checkout sends its goods (createOrder requires an address). */
export const DELIVERY_ADDRESS = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }

export async function placeOrder(cloud: TestCloud, openid: string, items = [{ goodsId: 'goods-coffee', quantity: 2 }]) {
  return data(
    await call<{ outTradeNo: string; totalFee: number; payment: Record<string, string> }>(cloud, 'createOrder', { items, address: DELIVERY_ADDRESS }, openid),
  )
}

export async function simPay(cloud: TestCloud, outTradeNo: string, result: 'SUCCESS' | 'FAIL' = 'SUCCESS') {
  const res = await fetch(`${cloud.url}/sim/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { transactionId?: string; firstAttempt?: { acknowledged: boolean } } }
}

export async function notifications(cloud: TestCloud, outTradeNo: string) {
  const res = await fetch(`${cloud.url}/sim/notifications?outTradeNo=${outTradeNo}`)
  return (
    (await res.json()) as {
      notifications: Array<{
        status: string
        attempts: Array<{ acknowledged: boolean }>
        delivery: { kind: string; event?: Record<string, unknown>; xml?: string; url?: string }
      }>
    }
  ).notifications
}

export function storedOrder(cloud: TestCloud, outTradeNo: string): Record<string, unknown> | undefined {
  return cloud.engine.getById('orders', outTradeNo)?.doc
}

export function paymentEvents(cloud: TestCloud, outTradeNo?: string): Array<Record<string, unknown>> {
  return cloud.engine.find('payment_events', outTradeNo === undefined ? {} : { outTradeNo }, { limit: 100_000 })
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Makes an order look older (as if made `ageMs` ago), the way time passing would. */
export async function backdate(cloud: TestCloud, outTradeNo: string, ageMs: number, expiredMsAgo?: number): Promise<void> {
  const now = Date.now()
  const $set: Record<string, unknown> = { createdAt: new Date(now - ageMs) }
  if (expiredMsAgo !== undefined) $set['expireAt'] = new Date(now - expiredMsAgo)
  await cloud.engine.update('orders', { _id: outTradeNo }, { $set }, false).written
}

export function simRefunds(cloud: TestCloud, outTradeNo: string): Array<Record<string, unknown>> {
  return cloud.engine.find('_sim_refunds', { outTradeNo }, { limit: 1000 })
}
