import { payGateways } from '../../payment/adapters/gateways'
import { cloudPictureUrls } from '../../payment/adapters/pictureUrls'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { staffStores } from '../../payment/adapters/staffAudit'
import { staffConsole } from '../../payment/usecases/staff'

const runtime = cloudRuntime(payGateways)
const stores = staffStores()
const pictures = cloudPictureUrls()

/** The staff console (ADMIN_OPENIDS only): orders, ship, refund, after-sale; the goods catalogue; reconcile status and run now. */
export const main = (event: unknown, context?: unknown) =>
  runtime.respond('staff', event, context, () =>
    staffConsole({ ...runtime.staffDeps(), ...stores, pictures, reconcileOptions: runtime.reconcileOptions() }, runtime.caller().openid, event),
  )
