import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { AppError } from '../../payment/errors'
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
    if (http) return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[SYSTEMERROR]]></return_msg></xml>' }
    return { errcode: 1, errmsg: config ? 'CONFIG_ERROR' : 'SYSTEMERROR' }
  }
}
