import type { Clock, EventLog, GoodsRepository, OrderRepository, PayGateway } from '../ports'

export type Caller = { openid: string; appid: string; clientIp: string }

export type OrderDeps = { orders: OrderRepository; clock: Clock }
export type PayDeps = OrderDeps & { gateway: PayGateway; events: EventLog }
export type CreateOrderDeps = PayDeps & { goods: GoodsRepository; randomBytes: (n: number) => Uint8Array }
