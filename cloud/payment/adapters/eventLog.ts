import type { EventLog } from '../ports'
import type { SdkDatabase } from './sdkTypes'

/** `payment_events`: every notification and gateway answer, as received, with the decision. */
export function eventLog(db: SdkDatabase): EventLog {
  return {
    async record(event) {
      await db.collection('payment_events').add({ data: { ...event, receivedAt: db.serverDate() } })
    },
  }
}
