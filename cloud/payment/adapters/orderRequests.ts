import { createHash } from 'node:crypto'
import type { OrderRequests } from '../ports'
import type { SdkDatabase } from './sdkTypes'

/** `order_requests`: `_id` = hash(openid, requestId), so the database itself refuses a second claim. */
export function orderRequests(db: SdkDatabase): OrderRequests {
  const requests = () => db.collection('order_requests')
  return {
    async claim(openid, requestId, outTradeNo, fingerprint) {
      const _id = createHash('sha256').update(`${openid}\u0000${requestId}`).digest('hex').slice(0, 40)
      try {
        await requests().add({ data: { _id, outTradeNo, fingerprint, createdAt: db.serverDate() } })
        return { outTradeNo, fingerprint }
      } catch (error) {
        if (!/duplicate/i.test(String((error as Error)?.message ?? error))) throw error
        const { data } = await requests().where({ _id }).limit(1).get()
        const found = data[0] as { outTradeNo?: unknown; fingerprint?: unknown } | undefined
        if (!found || typeof found.outTradeNo !== 'string') throw error
        return { outTradeNo: found.outTradeNo, fingerprint: String(found.fingerprint ?? '') }
      }
    },
  }
}
