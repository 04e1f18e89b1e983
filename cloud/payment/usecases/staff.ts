import type {
  StaffGoodsData,
  StaffGoodsView,
  StaffMeData,
  StaffOrdersData,
  StaffOrderView,
  StaffReconcileStatus,
  StaffRunReconcileData,
} from '../staffContracts'
import { AppError } from '../errors'
import { BAD_REQUEST, parseObject } from '../parse'
import type { OrderRepository, PaymentHistory, StaffAudit, StaffOrders } from '../ports'
import type { StaffDeps } from './deps'
import type { ReconcileOptions, ReconcileRuns } from './reconcile'
import { requireStaff } from './refundOrder'
import { decideAfterSale, shipOrder, staffRefund } from './staffActions'
import { listStaffGoods, saveGoods, setOnSale, type ConsoleAudit, type PictureUrls, type StaffGoodsStore } from './staffGoods'
import { listStaffOrders, staffOrderView } from './staffQueries'
import { reconcileStatus, runReconcileNow } from './staffReconcile'

/**
 * The staff console's dependencies: the staff refund's, the staff reads, the audit log, the
 * payment history, the catalogue (with picture URLs), and reconcile's runs and settings.
 */
export type StaffConsoleDeps = StaffDeps & {
  orders: OrderRepository & StaffOrders
  audit: StaffAudit
  history: PaymentHistory
  consoleAudit: ConsoleAudit
  catalogue: StaffGoodsStore
  pictures: PictureUrls
  runs: ReconcileRuns
  reconcileOptions: ReconcileOptions
}

export type StaffConsoleData = StaffMeData | StaffOrdersData | StaffOrderView | StaffGoodsData | StaffGoodsView | StaffReconcileStatus | StaffRunReconcileData

const ACTIONS = 'me, orders, order, ship, refund, afterSale, goods, saveGoods, setOnSale, reconcileStatus or runReconcile'

/**
 * The staff console (function `staff`): one deployable, one gate. The caller is checked against
 * ADMIN_OPENIDS before the event is even parsed, so a shopper learns nothing and nothing is read
 * or written; then `action` picks the use case.
 */
export async function staffConsole(deps: StaffConsoleDeps, staffOpenid: string, event: unknown): Promise<StaffConsoleData> {
  requireStaff(deps.admins, staffOpenid)
  const input = parseObject(event)
  switch (input['action']) {
    case 'me':
      return { staff: true }
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
    case 'goods':
      return listStaffGoods(deps, input)
    case 'saveGoods':
      return saveGoods(deps, staffOpenid, input)
    case 'setOnSale':
      return setOnSale(deps, staffOpenid, input)
    case 'reconcileStatus':
      return reconcileStatus(deps)
    case 'runReconcile':
      return runReconcileNow(deps, staffOpenid, input)
    default:
      throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: `action must be ${ACTIONS}` })
  }
}
