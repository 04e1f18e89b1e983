import { useStore } from 'zustand'
import { createStaffApi } from '../../services/staff'
import { createStaffStore, type StaffState } from '../../stores/staff'
import { transport } from './platform'

// The console's one store, built on first use of a staff page: only the staff subpackage
// imports this module, so none of the console is in the shop's main package.
export const staffStore = createStaffStore({ api: createStaffApi(transport) })

export const useStaff = <T>(selector: (state: StaffState) => T): T => useStore(staffStore, selector)
