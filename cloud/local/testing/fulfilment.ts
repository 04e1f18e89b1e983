// Shipping for tests, until the staff console exists: an order is marked shipped the way that
// console will do it — the real repository's one conditional update, over the real wx-server-sdk —
// not by writing the document directly.
import { orderRepository } from '../../payment/adapters/orderRepository'
import type { SdkDatabase } from '../../payment/adapters/sdkTypes'
import type { OrderRepository } from '../../payment/ports'
import { databaseFor, type TestCloud } from './harness'

export type TestShipment = { carrier: string; trackingNo: string; /** When it shipped (default now): backdate it to test auto-receive. */ at?: Date }

/** The real order repository of a local cloud, through the SDK in this process. */
export function ordersOf(cloud: TestCloud): OrderRepository {
  return orderRepository(databaseFor(cloud.url) as SdkDatabase)
}

/** PENDING → SHIPPED; false when the order is not a paid order waiting to ship (unpaid, cancelled, shipped already). */
export function markShipped(cloud: TestCloud, outTradeNo: string, { carrier, trackingNo, at }: TestShipment): Promise<boolean> {
  return ordersOf(cloud).markShipped(outTradeNo, { carrier, trackingNo, at: at ?? new Date() })
}

/** Ships a paid order, or throws saying why it could not be (for tests that only need it shipped). */
export async function shipOrder(cloud: TestCloud, outTradeNo: string, shipment: TestShipment): Promise<void> {
  if (!(await markShipped(cloud, outTradeNo, shipment))) {
    const doc = cloud.engine.getById('orders', outTradeNo)?.doc as { status?: string; fulfilment?: { state?: string } } | undefined
    throw new Error(`order ${outTradeNo} cannot be shipped: ${doc ? `status ${doc.status}, fulfilment ${doc.fulfilment?.state ?? 'none'}` : 'no such order'}`)
  }
}
