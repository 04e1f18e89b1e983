// Helpers for the fault tests: the real SDK as a shopper's function would hold it, the fault
// control over HTTP, signed APIv2 requests, and a poll.
import { randomBytes } from 'node:crypto'
import type { TestCloud } from '../testing/harness'
import { SUB_MCH_ID } from '../testing/shop'
import { sign } from '../../payment/protocol/sign'
import { buildXml, parseFlatXml } from '../../payment/protocol/xml'

type Answer = Record<string, unknown>
type Api = (params: Record<string, unknown>) => Promise<Answer>
export type CloudPay = { unifiedOrder: Api; queryOrder: Api; closeOrder: Api; refund: Api; queryRefund: Api }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Sdk = { cloudPay: CloudPay; database(): any }

/**
 * The real wx-server-sdk in this process, calling as one invocation of `createOrder` by
 * `openid` would (the runner's caller token included, so cloudPay knows the shopper).
 */
export function sdkAs(cloud: TestCloud, openid: string): Sdk {
  const env = cloud.runner.externalInvocation('createOrder', { source: 'wx_client', openid })
  for (const key of ['WX_OPENID', 'WX_APPID', 'WX_API_TOKEN', 'WX_CLIENTIP', 'WX_UNIONID', 'TRIGGER_SRC']) delete process.env[key]
  Object.assign(process.env, env, { SILENCE: 'true' })
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as Sdk & { init(options: object): void; DYNAMIC_CURRENT_ENV: unknown }
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV })
  return sdk
}

export function newOutTradeNo(): string {
  return `F${Date.now()}${randomBytes(4).toString('hex')}`
}

export function orderParams(outTradeNo: string): Record<string, unknown> {
  return {
    functionName: 'payNotify',
    envId: 'test-env',
    subMchId: SUB_MCH_ID,
    nonceStr: randomBytes(8).toString('hex'),
    body: 'Fault test',
    outTradeNo,
    totalFee: 100,
    spbillCreateIp: '127.0.0.1',
  }
}

export function simTrade(cloud: TestCloud, outTradeNo: string): Record<string, unknown> | undefined {
  return cloud.engine.find('_sim_trades', { outTradeNo }, { limit: 1 })[0]
}

export async function postFaults(url: string, body: unknown): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${url}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Answer }
}

export type ListedFault = { id: string; category: string; fault: string; remaining: number; fired: number; active: boolean } & Answer

export async function listFaults(url: string): Promise<ListedFault[]> {
  const res = await fetch(`${url}/sim/faults`)
  return ((await res.json()) as { faults: ListedFault[] }).faults
}

export async function clearFaults(url: string): Promise<void> {
  const res = await fetch(`${url}/sim/faults`, { method: 'DELETE' })
  if (res.status !== 200) throw new Error(`DELETE /sim/faults answered ${res.status}`)
}

/** A signed APIv2 request to the local cloud's WeChat Pay endpoints. */
export async function apiV2(
  url: string,
  path: string,
  params: Record<string, string | number>,
  key: string,
): Promise<{ status: number; text: string; fields: Record<string, string> }> {
  const fields = { nonce_str: randomBytes(8).toString('hex'), sign_type: 'HMAC-SHA256', ...params }
  const xml = buildXml({ ...fields, sign: sign(fields, key, 'HMAC-SHA256') })
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml })
  const text = await res.text()
  let parsed: Record<string, string> = {}
  try {
    parsed = parseFlatXml(text)
  } catch {
    // not XML (an HTTP 500 page)
  }
  return { status: res.status, text, fields: parsed }
}

export { waitFor } from '../testing/shop'

/** The error a promise rejects with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    const value = await promise
    throw Object.assign(new Error(`expected a rejection, got ${JSON.stringify(value)}`), { resolvedUnexpectedly: true })
  } catch (error) {
    if ((error as { resolvedUnexpectedly?: boolean }).resolvedUnexpectedly) throw error
    return error as Error
  }
}
