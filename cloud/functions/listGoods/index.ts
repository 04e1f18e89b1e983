import { cloudRuntime } from '../../payment/adapters/runtime'
import { listGoods } from '../../payment/usecases/listGoods'

const runtime = cloudRuntime()

export const main = (event: unknown, context?: unknown) => runtime.respond('listGoods', event, context, () => listGoods(runtime.goods(), event))
