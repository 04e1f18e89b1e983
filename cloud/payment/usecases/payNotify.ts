import { parsePaidNotification, snapshotOf } from '../core/notification'
import type { MerchantConfig } from '../config'
import { buildXml, parseFlatXml } from '../protocol/xml'
import { verifySign } from '../protocol/sign'
import { decryptReqInfo } from '../protocol/reqInfo'
import { parseRefundNotification } from '../core/refund'
import { applyRefund } from './applyRefund'
import type { PaymentEvent } from '../ports'
import { applyPaid } from './applyPayment'
import type { PayDeps } from './deps'

export type CloudPayReply = { errcode: number; errmsg: string }
export type HttpReply = { statusCode: number; headers: Record<string, string>; body: string }

const MAX_NOTIFY_BYTES = 64 * 1024

function outTradeNoIn(raw: Record<string, unknown>): string | null {
  const value = raw['outTradeNo'] ?? raw['out_trade_no']
  return typeof value === 'string' ? value.slice(0, 64) : null
}

async function reject(deps: PayDeps, meta: Pick<PaymentEvent, 'source' | 'raw'>, reason: string): Promise<void> {
  console.warn(`payNotify rejected (${meta.source}): ${reason}`)
  await deps.events.record({ kind: 'payment_notify', mode: deps.gateway.mode, ...meta, outTradeNo: outTradeNoIn(meta.raw), decision: 'rejected', reason })
}

/**
 * A cloudPay payment callback. Only a call whose WeChat context says `SOURCE=wx_paycallback`
 * is WeChat Pay: without this check any shopper could call payNotify and mark an order paid.
 * `{ errcode: 0 }` once durably handled (duplicates and refusals included) — anything else makes
 * WeChat retry, which only a temporary fault deserves.
 */
export async function handleCloudPayNotify(deps: PayDeps, source: string, event: unknown): Promise<CloudPayReply> {
  const raw = snapshotOf(event)
  if (source !== 'wx_paycallback') {
    await reject(deps, { source, raw }, `not a WeChat Pay callback (SOURCE=${source || 'none'})`)
    return { errcode: 403, errmsg: 'FORBIDDEN' }
  }
  if (deps.gateway.mode !== 'cloudpay') {
    await reject(deps, { source, raw }, 'a cloudPay callback while PAY_MODE=merchant')
    return { errcode: 0, errmsg: 'OK' }
  }
  if ('outRefundNo' in raw || 'refundStatus' in raw) {
    const refund = parseRefundNotification({
      outTradeNo: raw['outTradeNo'],
      outRefundNo: raw['outRefundNo'],
      refundFee: raw['refundFee'],
      refundStatus: raw['refundStatus'],
      mchId: raw['subMchId'],
    })
    if (!refund.ok) await reject(deps, { source, raw }, refund.reason)
    else await applyRefund(deps, refund.facts, { kind: 'refund_notify', source, raw })
    return { errcode: 0, errmsg: 'OK' }
  }
  const parsed = parsePaidNotification(
    {
      returnCode: raw['returnCode'],
      resultCode: raw['resultCode'],
      outTradeNo: raw['outTradeNo'],
      transactionId: raw['transactionId'],
      totalFee: raw['totalFee'],
      mchId: raw['subMchId'],
      timeEnd: raw['timeEnd'],
    },
    'json',
  )
  if (!parsed.ok) {
    await reject(deps, { source, raw }, parsed.reason)
    return { errcode: 0, errmsg: 'OK' }
  }
  await applyPaid(deps, parsed.facts, { kind: 'payment_notify', source, raw })
  return { errcode: 0, errmsg: 'OK' }
}

function xmlReply(ok: boolean, message: string): HttpReply {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: buildXml({ return_code: ok ? 'SUCCESS' : 'FAIL', return_msg: message }),
  }
}

/**
 * A merchant-mode (APIv2) payment notification through the HTTP trigger. The signature is
 * checked with the configured sign type even when `sign_type` is absent — WeChat often omits it
 * for HMAC-SHA256 merchants, and falling back to MD5 would refuse genuine notifications.
 */
export async function handleMerchantNotify(deps: PayDeps, config: MerchantConfig | undefined, event: unknown): Promise<HttpReply> {
  const source = 'http_trigger'
  const request = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {}
  const body = typeof request['body'] === 'string' ? request['body'].slice(0, MAX_NOTIFY_BYTES * 2) : ''
  const text = request['isBase64Encoded'] === true ? Buffer.from(body, 'base64').toString('utf8') : body
  let fields: Record<string, string>
  try {
    if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) throw new Error('body too large')
    fields = parseFlatXml(text, { maxBytes: MAX_NOTIFY_BYTES })
  } catch (error) {
    await reject(deps, { source, raw: { body: text.slice(0, 512) } }, `malformed notification XML: ${(error as Error).message}`)
    return xmlReply(false, '报文格式错误')
  }
  const raw = snapshotOf(fields)
  if (!config) {
    await reject(deps, { source, raw }, 'a merchant notification while PAY_MODE=cloudpay')
    return xmlReply(false, '商户未启用此通知')
  }
  if (fields['req_info'] !== undefined) return handleMerchantRefund(deps, config, fields, raw)
  if (!verifySign(fields, config.key, config.signType)) {
    await reject(deps, { source, raw }, `bad signature (checked as ${config.signType})`)
    return xmlReply(false, '签名失败')
  }
  if (fields['appid'] !== config.appid) {
    await reject(deps, { source, raw }, `appid mismatch: ${fields['appid'] ?? 'none'}`)
    return xmlReply(true, 'OK')
  }
  const parsed = parsePaidNotification(
    {
      returnCode: fields['return_code'],
      resultCode: fields['result_code'],
      outTradeNo: fields['out_trade_no'],
      transactionId: fields['transaction_id'],
      totalFee: fields['total_fee'],
      mchId: fields['mch_id'],
      timeEnd: fields['time_end'],
    },
    'xml',
  )
  if (!parsed.ok) {
    await reject(deps, { source, raw }, parsed.reason)
    return xmlReply(true, 'OK')
  }
  await applyPaid(deps, parsed.facts, { kind: 'payment_notify', source, raw })
  return xmlReply(true, 'OK')
}

/**
 * An APIv2 refund notification: unsigned, its facts encrypted in `req_info` with the merchant
 * key (notes/wechat-pay.md) — only a sender who knows the key can produce one that decrypts.
 */
async function handleMerchantRefund(deps: PayDeps, config: MerchantConfig, fields: Record<string, string>, raw: Record<string, unknown>): Promise<HttpReply> {
  const source = 'http_trigger'
  if (fields['mch_id'] !== config.mchId || fields['appid'] !== config.appid) {
    await reject(deps, { source, raw }, `refund notification for another merchant or app (${fields['mch_id'] ?? '?'} / ${fields['appid'] ?? '?'})`)
    return xmlReply(false, '商户号不匹配')
  }
  let info: Record<string, string>
  try {
    info = parseFlatXml(decryptReqInfo(fields['req_info'] ?? '', config.key), { root: 'root', maxBytes: MAX_NOTIFY_BYTES })
  } catch (error) {
    await reject(deps, { source, raw }, `req_info does not decrypt with the merchant key: ${(error as Error).message}`)
    return xmlReply(false, '解密失败')
  }
  const refund = parseRefundNotification({
    outTradeNo: info['out_trade_no'],
    outRefundNo: info['out_refund_no'],
    refundFee: info['refund_fee'],
    refundStatus: info['refund_status'],
    mchId: fields['mch_id'],
  })
  const detail = { ...raw, ...snapshotOf(info), req_info: '[decrypted]' }
  if (!refund.ok) await reject(deps, { source, raw: detail }, refund.reason)
  else await applyRefund(deps, refund.facts, { kind: 'refund_notify', source, raw: detail })
  return xmlReply(true, 'OK')
}
