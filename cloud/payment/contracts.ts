// The contracts between the app and the cloud functions (DESIGN.md). The app imports these
// as types only; nothing here may pull runtime code into the mini program bundle.

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'GOODS_NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'PAY_GATEWAY_ERROR'
  | 'CONFIG_ERROR'
  | 'INTERNAL'

export type Failure = { ok: false; error: { code: ErrorCode; message: string } }
export type Success<T> = { ok: true; data: T }
export type FunctionResult<T> = Success<T> | Failure

export type GoodsView = { _id: string; name: string; description: string; priceFen: number; pic: string }

export type ListGoodsEvent = { cursor?: string; limit?: number }
export type ListGoodsData = { items: GoodsView[]; nextCursor: string | null }
