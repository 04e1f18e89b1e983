import { payGateways } from '../../payment/adapters/gateways'
import { isHttpTrigger, readMerchantNotification, xmlReply } from '../../payment/adapters/notifyHttp'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { AppError, explain } from '../../payment/errors'
import { handleCloudPayNotify, handleMerchantNotify, type NotifyOutcome } from '../../payment/usecases/payNotify'

const runtime = cloudRuntime(payGateways)
const rejects = runtime.rejects()

/** cloudPay's answer: `errcode: 0` stops WeChat's retries. */
function cloudPayReply(outcome: NotifyOutcome): { errcode: number; errmsg: string } {
  return { errcode: outcome.ack ? 0 : 403, errmsg: outcome.message }
}

/**
 * Called by WeChat Pay, not by shoppers: a cloudPay callback (an event object) or, in merchant
 * mode, an APIv2 XML notification through the HTTP trigger. A temporary fault answers so that
 * WeChat retries; everything else is acknowledged once recorded.
 */
export async function main(event: unknown): Promise<unknown> {
  const http = isHttpTrigger(event)
  try {
    const deps = { ...runtime.payDeps(), rejects }
    if (http) return xmlReply(await handleMerchantNotify(deps, runtime.merchantConfig(), readMerchantNotification(event)))
    return cloudPayReply(await handleCloudPayNotify(deps, runtime.source(), event))
  } catch (error) {
    const config = error instanceof AppError && error.code === 'CONFIG_ERROR'
    console.error(`payNotify: ${config ? explain(error) : 'temporary failure, WeChat will retry'}`, config ? '' : error)
    if (http) return xmlReply({ ack: false, message: 'SYSTEMERROR' })
    return { errcode: 1, errmsg: config ? 'CONFIG_ERROR' : 'SYSTEMERROR' }
  }
}
