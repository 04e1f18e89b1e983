import type { Clock, EventLog, GoodsRepository, OrderRepository, OrderRequests, PayGateway, ShippingPort } from '../ports'

export type Caller = { openid: string; appid: string; clientIp: string }

export type OrderDeps = { orders: OrderRepository; clock: Clock }
/** `shipping`: WeChat's shipping-information upload (staff ship, reconcile retries). */
export type PayDeps = OrderDeps & { gateway: PayGateway; events: EventLog; shipping: ShippingPort }
export type CreateOrderDeps = PayDeps & { goods: GoodsRepository; requests: OrderRequests; randomBytes: (n: number) => Uint8Array }
export type StaffDeps = PayDeps & { admins: ReadonlySet<string>; randomBytes: (n: number) => Uint8Array }
