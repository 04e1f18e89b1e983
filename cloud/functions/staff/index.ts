import { payGateways } from '../../payment/adapters/gateways'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { staffStores } from '../../payment/adapters/staffAudit'
import { staffConsole } from '../../payment/usecases/staff'

const runtime = cloudRuntime(payGateways)
const stores = staffStores()

/** The staff console (ADMIN_OPENIDS only): order list and detail, ship, refund, after-sale decisions. */
export const main = (event: unknown, context?: unknown) =>
  runtime.respond('staff', event, context, () => staffConsole({ ...runtime.staffDeps(), ...stores }, runtime.caller().openid, event))
