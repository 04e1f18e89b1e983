import type { MerchantConfig } from '../config'
import { parsePaidNotification, snapshotOf } from '../core/notification'
import { parseRefundNotification } from '../core/refund'
import type { JunkReason, PaymentEvent, RejectCounter } from '../ports'
import { decryptReqInfo } from '../protocol/reqInfo'
import { verifySign } from '../protocol/sign'
import { parseFlatXml } from '../protocol/xml'
import { applyPaid } from './applyPayment'
import { applyRefund } from './applyRefund'
import type { PayDeps } from './deps'

/**
 * What to answer WeChat Pay, in no transport's terms: `ack` once the notification is durably
 * handled (duplicates and refusals of authentic ones included); not `ack` when it could not be
 * authenticated. A temporary fault is thrown, so that the handler answers for a retry.
 */
export type NotifyOutcome = { ack: boolean; message: string }

/** A merchant notification as the transport read it: its flat XML fields, or why it has none. */
export type MerchantNotification = { ok: true; fields: Record<string, string> } | { ok: false; error: string; excerpt: string }

export type NotifyDeps = PayDeps & { rejects: RejectCounter }

type Meta = Pick<PaymentEvent, 'kind' | 'source' | 'raw'>

const MAX_REQ_INFO_BYTES = 64 * 1024
const OK: NotifyOutcome = { ack: true, message: 'OK' }
const SECRET_FIELDS = new Set(['sign', 'paySign', 'req_info'])

function outTradeNoIn(raw: Record<string, unknown>): string | null {
  const value = raw['outTradeNo'] ?? raw['out_trade_no']
  return typeof value === 'string' ? value.slice(0, 64) : null
}

/** An authentic notification refused: recorded in full in payment_events. */
async function reject(deps: PayDeps, meta: Pick<PaymentEvent, 'kind' | 'source' | 'raw'>, reason: string): Promise<void> {
  console.warn(`payNotify rejected (${meta.source}): ${reason}`)
  await deps.events.record({ mode: deps.gateway.mode, ...meta, outTradeNo: outTradeNoIn(meta.raw), decision: 'rejected', reason })
}

/** A small sample of junk: a few fields, short values, no signature or encrypted payload. */
function junkSample(raw: Record<string, unknown>): Record<string, unknown> {
  const sample: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw).slice(0, 20))
    sample[key] = SECRET_FIELDS.has(key) ? '[omitted]' : typeof value === 'string' ? value.slice(0, 128) : value
  return sample
}

/**
 * Something nobody could authenticate: counted per minute and reason in payment_rejects, never
 * stored a document a call — anyone can reach the trigger. Best effort: the refusal stands anyway.
 */
async function junk(deps: NotifyDeps, reason: JunkReason, source: string, detail: string, raw: Record<string, unknown>): Promise<void> {
  console.warn(`payNotify refused (${source}, ${reason}): ${detail.slice(0, 200)}`)
  try {
    await deps.rejects.count({ reason, source, at: deps.clock.now(), detail, sample: junkSample(raw) })
  } catch (error) {
    console.error('payNotify: could not count a refused notification', error)
  }
}

/** Once authentic, a notification is on record even when a temporary fault stops its handling (it will come again). */
async function recordingFailures(deps: PayDeps, meta: Meta, handle: () => Promise<NotifyOutcome>): Promise<NotifyOutcome> {
  try {
    return await handle()
  } catch (error) {
    try {
      await deps.events.record({
        ...meta,
        mode: deps.gateway.mode,
        outTradeNo: outTradeNoIn(meta.raw),
        decision: 'failed',
        reason: `temporary failure: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
      })
    } catch {
      // The database is what failed: WeChat Pay's retry will be recorded.
    }
    throw error
  }
}

/**
 * A cloudPay payment or refund callback. Only a call whose WeChat context says
 * `SOURCE=wx_paycallback` is WeChat Pay: without this check any shopper could call payNotify and
 * mark an order paid.
 */
export async function handleCloudPayNotify(deps: NotifyDeps, source: string, event: unknown): Promise<NotifyOutcome> {
  const raw = snapshotOf(event)
  if (source !== 'wx_paycallback') {
    await junk(deps, 'not_wechat_pay', source, `not a WeChat Pay callback (SOURCE=${source || 'none'})`, raw)
    return { ack: false, message: 'FORBIDDEN' }
  }
  const refund = 'outRefundNo' in raw || 'refundStatus' in raw
  return recordingFailures(deps, { kind: refund ? 'refund_notify' : 'payment_notify', source, raw }, async () => {
    if (deps.gateway.mode !== 'cloudpay') {
      await reject(deps, { kind: refund ? 'refund_notify' : 'payment_notify', source, raw }, 'a cloudPay callback while PAY_MODE=merchant')
      return OK
    }
    if (refund) {
      const parsed = parseRefundNotification({
        outTradeNo: raw['outTradeNo'],
        outRefundNo: raw['outRefundNo'],
        refundFee: raw['refundFee'],
        refundStatus: raw['refundStatus'],
        mchId: raw['subMchId'],
      })
      if (!parsed.ok) await reject(deps, { kind: 'refund_notify', source, raw }, parsed.reason)
      else await applyRefund(deps, parsed.facts, { kind: 'refund_notify', source, raw })
      return OK
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
      // Stryker disable next-line StringLiteral: parsePaidNotification reads anything but 'xml' as JSON, so '' means the same
      'json',
    )
    if (!parsed.ok) await reject(deps, { kind: 'payment_notify', source, raw }, parsed.reason)
    else await applyPaid(deps, parsed.facts, { kind: 'payment_notify', source, raw })
    return OK
  })
}

/**
 * A merchant-mode (APIv2) notification. The signature is checked with the configured sign type
 * even when `sign_type` is absent — WeChat often omits it for HMAC-SHA256 merchants, and falling
 * back to MD5 would refuse genuine notifications. Not `ack` until authenticated: if a genuine one
 * fails here, the key is misconfigured and WeChat's retries give ops time to fix it.
 */
export async function handleMerchantNotify(deps: NotifyDeps, config: MerchantConfig | undefined, notification: MerchantNotification): Promise<NotifyOutcome> {
  const source = 'http_trigger'
  if (!notification.ok) {
    await junk(deps, 'malformed_xml', source, `malformed notification XML: ${notification.error}`, { body: notification.excerpt })
    return { ack: false, message: '报文格式错误' }
  }
  const { fields } = notification
  const raw = snapshotOf(fields)
  if (!config) {
    await junk(deps, 'wrong_pay_mode', source, 'a merchant notification while PAY_MODE=cloudpay', raw)
    return { ack: false, message: '商户未启用此通知' }
  }
  const reqInfo = fields['req_info']
  if (reqInfo !== undefined) return handleMerchantRefund(deps, config, fields, reqInfo, raw)
  if (!verifySign(fields, config.key, config.signType)) {
    await junk(deps, 'bad_signature', source, `bad signature (checked as ${config.signType})`, raw)
    return { ack: false, message: '签名失败' }
  }
  return recordingFailures(deps, { kind: 'payment_notify', source, raw }, async () => {
    if (fields['appid'] !== config.appid) {
      await reject(deps, { kind: 'payment_notify', source, raw }, `appid mismatch: ${fields['appid'] ?? 'none'}`)
      return OK
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
    if (!parsed.ok) await reject(deps, { kind: 'payment_notify', source, raw }, parsed.reason)
    else await applyPaid(deps, parsed.facts, { kind: 'payment_notify', source, raw })
    return OK
  })
}

/**
 * An APIv2 refund notification: unsigned, its facts encrypted in `req_info` with the merchant
 * key — only a sender who knows the key can produce one that decrypts.
 */
async function handleMerchantRefund(
  deps: NotifyDeps,
  config: MerchantConfig,
  fields: Record<string, string>,
  reqInfo: string,
  raw: Record<string, unknown>,
): Promise<NotifyOutcome> {
  const source = 'http_trigger'
  if (fields['mch_id'] !== config.mchId || fields['appid'] !== config.appid) {
    await junk(deps, 'other_merchant', source, `refund notification for another merchant or app (${fields['mch_id'] ?? '?'} / ${fields['appid'] ?? '?'})`, raw)
    return { ack: false, message: '商户号不匹配' }
  }
  let info: Record<string, string>
  try {
    info = parseFlatXml(decryptReqInfo(reqInfo, config.key), { root: 'root', maxBytes: MAX_REQ_INFO_BYTES })
  } catch (error) {
    await junk(deps, 'bad_req_info', source, `req_info does not decrypt with the merchant key: ${(error as Error).message}`, raw)
    return { ack: false, message: '解密失败' }
  }
  const detail = { ...raw, ...snapshotOf(info), req_info: '[decrypted]' }
  return recordingFailures(deps, { kind: 'refund_notify', source, raw: detail }, async () => {
    const refund = parseRefundNotification({
      outTradeNo: info['out_trade_no'],
      outRefundNo: info['out_refund_no'],
      refundFee: info['refund_fee'],
      refundStatus: info['refund_status'],
      mchId: fields['mch_id'],
    })
    if (!refund.ok) await reject(deps, { kind: 'refund_notify', source, raw: detail }, refund.reason)
    else await applyRefund(deps, refund.facts, { kind: 'refund_notify', source, raw: detail })
    return OK
  })
}
