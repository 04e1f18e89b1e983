import { createHash } from 'node:crypto'
import type { OrderRequests } from '../ports'
import { insertOnce } from './insertOnce'
import type { SdkDatabase } from './sdkTypes'

/** `order_requests`: `_id` = hash(openid, requestId), so the database itself refuses a second claim. */
export function orderRequests(db: SdkDatabase): OrderRequests {
  return {
    async claim(openid, requestId, outTradeNo, fingerprint) {
      const _id = createHash('sha256').update(`${openid}\u0000${requestId}`).digest('hex').slice(0, 40)
      if ((await insertOnce(db, 'order_requests', { _id, outTradeNo, fingerprint, createdAt: db.serverDate() })) === 'inserted')
        return { outTradeNo, fingerprint }
      const { data } = await db.collection('order_requests').where({ _id }).limit(1).get()
      const found = data[0] as { outTradeNo?: unknown; fingerprint?: unknown } | undefined
      if (!found || typeof found.outTradeNo !== 'string') throw new Error(`order request ${_id} exists but cannot be read`)
      return { outTradeNo: found.outTradeNo, fingerprint: String(found.fingerprint ?? '') }
    },
  }
}
