// H5: the simulated WeChat cashier sheet (see ./Cashier.tsx).
export { CashierSheet as Cashier } from './CashierSheet'
