import { cloudPictureUrls } from '../../payment/adapters/pictureUrls'
import { cloudRuntime } from '../../payment/adapters/runtime'
import { listGoods } from '../../payment/usecases/listGoods'

const runtime = cloudRuntime()
// Kept across invocations of a warm instance: temporary picture URLs are cached for half their life.
const pictures = cloudPictureUrls()

export const main = (event: unknown, context?: unknown) => runtime.respond('listGoods', event, context, () => listGoods(runtime.goods(), event, pictures))
