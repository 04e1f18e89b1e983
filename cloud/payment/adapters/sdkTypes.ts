// The slice of wx-server-sdk's database API the adapters use, typed by what it returns at run
// time (the SDK's own typings model callback overloads as `string | void | Promise`).
export interface SdkQuery {
  where(condition: Record<string, unknown> | unknown): SdkQuery
  orderBy(field: string, direction: 'asc' | 'desc'): SdkQuery
  limit(n: number): SdkQuery
  get(): Promise<{ data: unknown[] }>
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
}

export interface SdkCollection extends SdkQuery {
  add(options: { data: Record<string, unknown> }): Promise<{ _id: string }>
  doc(id: string): { get(): Promise<{ data: unknown }> }
}

export interface SdkCommand {
  in(values: unknown[]): unknown
  lt(value: unknown): unknown
  lte(value: unknown): unknown
  gt(value: unknown): unknown
  eq(value: unknown): unknown
  neq(value: unknown): unknown
  exists(value: boolean): unknown
  inc(value: number): unknown
  or(conditions: Array<Record<string, unknown>>): unknown
  remove(): unknown
}

export interface SdkDatabase {
  collection(name: string): SdkCollection
  command: SdkCommand
  serverDate(): unknown
}
