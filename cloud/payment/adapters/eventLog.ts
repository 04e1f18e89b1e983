import { beijingTimestamp } from '../core/beijingTime'
import type { EventLog, RejectCounter } from '../ports'
import { insertOnce } from './insertOnce'
import type { SdkDatabase } from './sdkTypes'

/** `payment_events`: every notification and gateway answer, as received, with the decision. */
export function eventLog(db: SdkDatabase): EventLog {
  return {
    async record(event) {
      await db.collection('payment_events').add({ data: { ...event, receivedAt: db.serverDate() } })
    },
  }
}

/**
 * `payment_rejects`: `_id` = `junk:<yyyyMMddHHmm, Beijing>:<reason>`, so a flood of junk costs one
 * conditional increment a call and one document per minute and reason. The first arrival of the
 * minute creates the document with its sample; racing first arrivals lose the insert on the
 * duplicate `_id` and increment instead.
 */
export function rejectCounter(db: SdkDatabase): RejectCounter {
  const rejects = () => db.collection('payment_rejects')
  const increment = async (_id: string): Promise<boolean> => {
    const { stats } = await rejects()
      .where({ _id })
      .update({ data: { count: db.command.inc(1), lastAt: db.serverDate() } })
    return stats.updated === 1
  }
  return {
    async count(junk) {
      const minute = beijingTimestamp(junk.at).slice(0, 12)
      const _id = `junk:${minute}:${junk.reason}`
      if (await increment(_id)) return
      const first = {
        _id,
        minute,
        reason: junk.reason,
        count: 1,
        firstAt: db.serverDate(),
        lastAt: db.serverDate(),
        sample: { source: junk.source, detail: junk.detail.slice(0, 200), fields: junk.sample },
      }
      if ((await insertOnce(db, 'payment_rejects', first)) === 'exists' && !(await increment(_id)))
        throw new Error(`payment_rejects: ${_id} neither inserted nor counted`)
    },
  }
}
