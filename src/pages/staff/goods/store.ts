import { useStore } from 'zustand'
import { createStaffGoodsApi } from '../../../services/staffGoods'
import { createStaffGoodsStore, type StaffGoodsState } from '../../../stores/staffGoods'
import { transport } from '../platform'

// The catalogue and reconcile pages' one store, built on first use of one of them: only the
// staff subpackage imports this module, so none of it is in the shop's main package.
export const goodsStore = createStaffGoodsStore({ api: createStaffGoodsApi(transport) })

export const useGoods = <T>(selector: (state: StaffGoodsState) => T): T => useStore(goodsStore, selector)
