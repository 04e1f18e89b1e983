import { payGateways } from '../../payment/adapters/gateways'
import { isHttpTrigger, readMerchantNotification, xmlReply } from '../../payment/adapters/notifyHttp'
import { failureOutcome, notifyOutcome, outTradeNoOf } from '../../payment/adapters/invocationLog'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { AppError } from '../../payment/errors'
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
 * WeChat retries; everything else is acknowledged once recorded. Health answers only an
 * SDK-invoked system or staff call, never the HTTP trigger: that one faces the internet.
 */
export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const http = isHttpTrigger(event)
  const call = runtime.invocation('payNotify', event, context)
  const health = http ? undefined : call.health()
  if (health) {
    call.finish({ outcome: 'ok' })
    return health
  }
  try {
    const deps = { ...runtime.payDeps(), rejects }
    if (http) {
      const config = runtime.merchantConfig()
      const notification = readMerchantNotification(event)
      const outcome = await handleMerchantNotify(deps, config, notification)
      call.finish({ ...notifyOutcome(outcome), outTradeNo: outTradeNoOf(notification.ok ? { outTradeNo: notification.fields['out_trade_no'] } : undefined) })
      return xmlReply(outcome)
    }
    const outcome = await handleCloudPayNotify(deps, runtime.source(), event)
    call.finish({ ...notifyOutcome(outcome), outTradeNo: outTradeNoOf(event) })
    return cloudPayReply(outcome)
  } catch (error) {
    const config = error instanceof AppError && error.code === 'CONFIG_ERROR'
    // Not a refusal: answered so that WeChat retries; the line's detail says why.
    call.finish({ ...failureOutcome(error), outTradeNo: outTradeNoOf(event) })
    if (http) return xmlReply({ ack: false, message: 'SYSTEMERROR' })
    return { errcode: 1, errmsg: config ? 'CONFIG_ERROR' : 'SYSTEMERROR' }
  }
}
