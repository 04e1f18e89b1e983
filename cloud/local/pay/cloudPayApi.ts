// cloudPay (`wx.wxPayApi` behind the local cloud): snake_case JSON in, snake_case JSON out.
// No signatures: the caller is authenticated by the platform, and openid comes from it.
import type { AnswerFields } from './answers'
import { PaySimError, Refusal, RETURN_MSG, systemError } from './errors'
import { nonceStr } from './ids'
import { closeOrderOp, queryOrder, queryRefund, refund, unifiedOrder, type Channel, type OperationsEnv } from './operations'
import { MCH_ID, ParamReader, isPlainRecord } from './params'
import type { CallerContext } from './ports'
import { paySign } from '../../payment/protocol/sign'

export interface CloudPayConfig {
  appid: string
  envId: string
  cloudPayKey: string
  boundSubMchIds: ReadonlySet<string>
  resolveCaller(token: string): CallerContext | undefined
}

type Handler = (ch: Channel, p: ParamReader) => Promise<Record<string, unknown>>

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

export function createCloudPayApi(env: OperationsEnv, config: CloudPayConfig) {
  const { ctx, provider } = env

  function callbackFunction(p: ParamReader) {
    const functionName = p.text('function_name', { pattern: FUNCTION_NAME })
    const envId = p.text('env_id', { maxBytes: 64 })
    // A wrong env_id sends callbacks to another environment: refuse it rather than lose them.
    if (envId !== config.envId) throw Refusal.resultFail('PARAM_ERROR', `env_id ${envId} 与当前环境 ${config.envId} 不一致`)
    return { kind: 'function' as const, functionName }
  }

  const handlers: Readonly<Record<string, Handler>> = {
    async unifiedOrder(ch, p) {
      const trade = await unifiedOrder(env, ch, p)
      const pkg = `prepay_id=${trade.prepayId}`
      const payment = {
        appId: trade.appid,
        timeStamp: String(Math.floor(ctx.clock.now() / 1000)),
        nonceStr: nonceStr(),
        package: pkg,
        signType: 'MD5' as const,
      }
      return { trade_type: trade.tradeType, prepay_id: trade.prepayId, payment: { ...payment, paySign: paySign(payment, config.cloudPayKey) } }
    },
    queryOrder: async (ch, p) => queryOrder(env, ch, p),
    closeOrder: (ch, p) => closeOrderOp(env, ch, p),
    refund: (ch, p) => refund(env, ch, p),
    queryRefund: async (ch, p) => queryRefund(env, ch, p),
  }

  return async function cloudPayApi(apiName: string, requestData: unknown, callerToken: string): Promise<Record<string, unknown>> {
    const caller = config.resolveCaller(callerToken)
    if (!caller) throw new PaySimError('CALLER_UNKNOWN', 'the cloudPay call carries no known caller')
    const handler = Object.prototype.hasOwnProperty.call(handlers, apiName) ? handlers[apiName] : undefined
    if (!handler) throw new PaySimError('UNKNOWN_API', `cloudPay.${apiName} is not simulated`)
    await ctx.ledger.load()
    if (!isPlainRecord(requestData)) return { return_code: 'FAIL', return_msg: RETURN_MSG.format('request') }
    let envelope: AnswerFields = { appid: provider.appid, mch_id: provider.mchId, sub_appid: config.appid }
    try {
      const p = new ParamReader(requestData, 'json')
      const subMchId = p.text('sub_mch_id', { pattern: MCH_ID })
      envelope = { ...envelope, sub_mch_id: subMchId, nonce_str: nonceStr() }
      p.text('nonce_str', { maxBytes: 32 })
      if (!config.boundSubMchIds.has(subMchId)) throw Refusal.resultFail('PARAM_ERROR', '受理关系不存在')
      const channel: Channel = {
        mode: 'cloudpay',
        mchId: subMchId,
        appid: config.appid,
        signType: 'MD5',
        orderNotify: callbackFunction,
        refundNotify: callbackFunction,
        openid: (q) => caller.openid || q.optText('sub_openid', { maxBytes: 128 }) || undefined,
      }
      const fields = await handler(channel, p)
      return { return_code: 'SUCCESS', return_msg: 'OK', ...envelope, result_code: 'SUCCESS', ...fields }
    } catch (err) {
      const refusal = err instanceof Refusal ? err : err instanceof PaySimError && err.code === 'STORE_ERROR' ? systemError() : undefined
      if (!refusal) throw err
      const answer = refusal.answer
      if (answer.level === 'return') return { return_code: 'FAIL', return_msg: answer.returnMsg }
      return {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        ...envelope,
        result_code: 'FAIL',
        err_code: answer.errCode,
        err_code_des: answer.errCodeDes,
      }
    }
  }
}
