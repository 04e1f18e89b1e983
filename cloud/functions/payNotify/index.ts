import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { snapshotOf } from '../../payment/core/notification'
import { AppError } from '../../payment/errors'
import { parseFlatXml } from '../../payment/protocol/xml'
import { handleCloudPayNotify, handleMerchantNotify } from '../../payment/usecases/payNotify'

const runtime = cloudRuntime(payGateways)

function isHttpTrigger(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'httpMethod' in event
}

/**
 * Called by WeChat Pay, not by shoppers: a cloudPay callback (an event object) or, in merchant
 * mode, an APIv2 XML notification through the HTTP trigger. A temporary fault answers so that
 * WeChat retries; everything else is acknowledged once recorded.
 */
export async function main(event: unknown): Promise<unknown> {
  const http = isHttpTrigger(event)
  try {
    const deps = runtime.payDeps()
    if (http) return await handleMerchantNotify(deps, runtime.merchantConfig(), event)
    return await handleCloudPayNotify(deps, runtime.source(), event)
  } catch (error) {
    const config = error instanceof AppError && error.code === 'CONFIG_ERROR'
    console.error(`payNotify: ${config ? (error as Error).message : 'temporary failure, WeChat will retry'}`, config ? '' : error)
    await recordFailure(event, error)
    if (http)
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/xml' },
        body: '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[SYSTEMERROR]]></return_msg></xml>',
      }
    return { errcode: 1, errmsg: config ? 'CONFIG_ERROR' : 'SYSTEMERROR' }
  }
}

function xmlFieldsOf(event: unknown): Record<string, unknown> {
  const body = String((event as { body?: unknown }).body ?? '')
  try {
    return parseFlatXml((event as { isBase64Encoded?: unknown }).isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body)
  } catch {
    return { body: body.slice(0, 2000) }
  }
}

/** Best effort: the notification is on record even when handling it failed (it will come again). */
async function recordFailure(event: unknown, error: unknown): Promise<void> {
  try {
    const raw = snapshotOf(isHttpTrigger(event) ? xmlFieldsOf(event) : event)
    const found = raw['outTradeNo'] ?? raw['out_trade_no']
    const outTradeNo = typeof found === 'string' ? found.slice(0, 64) : null
    const deps = runtime.payDeps()
    await deps.events.record({
      kind: 'payment_notify',
      mode: deps.gateway.mode,
      source: isHttpTrigger(event) ? 'http_trigger' : runtime.source(),
      outTradeNo,
      decision: 'failed',
      reason: `temporary failure: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
      raw,
    })
  } catch {
    // The database is what failed: WeChat Pay's retry will be recorded.
  }
}
