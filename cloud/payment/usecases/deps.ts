import type { Clock, EventLog, GoodsRepository, OrderRepository, OrderRequests, PayGateway } from '../ports'

export type Caller = { openid: string; appid: string; clientIp: string }

export type OrderDeps = { orders: OrderRepository; clock: Clock }
export type PayDeps = OrderDeps & { gateway: PayGateway; events: EventLog }
export type CreateOrderDeps = PayDeps & { goods: GoodsRepository; requests: OrderRequests; randomBytes: (n: number) => Uint8Array }
export type StaffDeps = PayDeps & { admins: ReadonlySet<string>; randomBytes: (n: number) => Uint8Array }
