import type { Goods } from '../core/cart'
import { fen } from '../core/money'
import type { GoodsRepository } from '../ports'
import type { SdkDatabase } from './sdkTypes'

export function goodsRepository(db: SdkDatabase): GoodsRepository {
  return {
    async findByIds(ids) {
      const { data } = await db
        .collection('goods')
        .where({ _id: db.command.in(ids) })
        .limit(ids.length)
        .get()
      return data.map(parseGoods)
    },
  }
}

function parseGoods(raw: unknown): Goods {
  const doc = raw as Record<string, unknown>
  return {
    _id: String(doc['_id']),
    name: String(doc['name'] ?? ''),
    priceFen: fen(doc['priceFen'], `priceFen of goods ${String(doc['_id'])}`),
    pic: String(doc['pic'] ?? ''),
    onSale: doc['onSale'] === true,
  }
}
