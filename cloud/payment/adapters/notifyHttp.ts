import { buildXml, parseFlatXml } from '../protocol/xml'
import type { MerchantNotification, NotifyOutcome } from '../usecases/payNotify'

// The HTTP side of merchant-mode (APIv2) notifications: the HTTP trigger's event in, the XML
// answer WeChat Pay expects out. What the notification means is the use case's business.

export type HttpReply = { statusCode: number; headers: Record<string, string>; body: string }

export const MAX_NOTIFY_BYTES = 64 * 1024

export function isHttpTrigger(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'httpMethod' in event
}

/** The request body as text: base64-decoded when the trigger says so, cut off well past the size limit. */
export function notifyBodyOf(event: unknown): string {
  const request = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {}
  const body = typeof request['body'] === 'string' ? request['body'].slice(0, MAX_NOTIFY_BYTES * 2) : ''
  return request['isBase64Encoded'] === true ? Buffer.from(body, 'base64').toString('utf8') : body
}

/** The notification's flat XML fields, or why there are none (with a short excerpt for the record). */
export function readMerchantNotification(event: unknown): MerchantNotification {
  const text = notifyBodyOf(event)
  try {
    if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) throw new Error('body too large')
    return { ok: true, fields: parseFlatXml(text, { maxBytes: MAX_NOTIFY_BYTES }) }
  } catch (error) {
    return { ok: false, error: (error as Error).message, excerpt: text.slice(0, 512) }
  }
}

/** APIv2's answer: `SUCCESS` stops WeChat's retries, `FAIL` asks for them. */
export function xmlReply(outcome: NotifyOutcome): HttpReply {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: buildXml({ return_code: outcome.ack ? 'SUCCESS' : 'FAIL', return_msg: outcome.message }),
  }
}
