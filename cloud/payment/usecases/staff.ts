import type { StaffOrdersData, StaffOrderView } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST, parseObject } from '../parse'
import type { OrderRepository, PaymentHistory, StaffAudit, StaffOrders } from '../ports'
import type { StaffDeps } from './deps'
import { requireStaff } from './refundOrder'
import { decideAfterSale, shipOrder, staffRefund } from './staffActions'
import { listStaffOrders, staffOrderView } from './staffQueries'

/** The staff console's dependencies: the staff refund's, the staff reads, the audit log and the payment history. */
export type StaffConsoleDeps = StaffDeps & { orders: OrderRepository & StaffOrders; audit: StaffAudit; history: PaymentHistory }

/**
 * The staff console (function `staff`): one deployable, one gate. The caller is checked against
 * ADMIN_OPENIDS before the event is even parsed, so a shopper learns nothing and nothing is read
 * or written; then `action` picks the use case.
 */
export async function staffConsole(deps: StaffConsoleDeps, staffOpenid: string, event: unknown): Promise<StaffOrdersData | StaffOrderView> {
  requireStaff(deps.admins, staffOpenid)
  const input = parseObject(event)
  switch (input['action']) {
    case 'orders':
      return listStaffOrders(deps, input)
    case 'order':
      return staffOrderView(deps, input['outTradeNo'])
    case 'ship':
      return shipOrder(deps, staffOpenid, input)
    case 'refund':
      return staffRefund(deps, staffOpenid, input)
    case 'afterSale':
      return decideAfterSale(deps, staffOpenid, input)
    default:
      throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: 'action must be orders, order, ship, refund or afterSale' })
  }
}
