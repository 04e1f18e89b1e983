import { cloudRuntime, respond } from '../../payment/adapters/runtime'
import { listGoods } from '../../payment/usecases/listGoods'

const runtime = cloudRuntime()

export const main = (event: unknown) => respond('listGoods', () => listGoods(runtime.goods(), event))
