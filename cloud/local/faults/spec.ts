// The faults a test can inject into the local cloud, and the validation of what it sends
// (POST /sim/faults, or `cloud.faults.add(...)` in-process). Test-only: nothing changes
// unless a fault has been added. Each added fault hits `times` matching events (first added
// first), then stays listed as spent.
//
// gateway — one pay API call, cloudPay (`/admin` wx.wxPayApi, mode cloudpay) or APIv2 (mode merchant):
//   reset        the connection is destroyed without an answer; the simulator never sees the call
//   timeout      held without an answer for holdMs, then the socket is destroyed; not processed
//   lost_answer  the simulator processes the call, then the connection is destroyed
//   http500      HTTP 500 with a small text body; not processed
//   systemerror  a well-formed result_code FAIL / SYSTEMERROR answer (signed XML for APIv2); not processed
//   orderpaid    closeOrder only: result_code FAIL / ORDERPAID; not processed
// callbacks — one delivery attempt of a payment or refund notification:
//   drop         the attempt fails without reaching the function/URL (the retry schedule goes on)
//   duplicate    delivered twice at once; the simulator acts on the first answer
//   delay        delivered after delayMs
// db — one database request from the SDK:
//   error        answered DATABASE_REQUEST_FAILED 'injected fault' without running
//   crash        after `afterWrites` more matching writes are applied and durable, SIGKILL before replying

export const GATEWAY_APIS = ['unifiedOrder', 'queryOrder', 'closeOrder', 'refund', 'queryRefund'] as const
export type GatewayApi = (typeof GATEWAY_APIS)[number]
export const GATEWAY_FAULTS = ['reset', 'timeout', 'lost_answer', 'http500', 'systemerror', 'orderpaid'] as const
export type GatewayFaultKind = (typeof GATEWAY_FAULTS)[number]
export type GatewayMode = 'cloudpay' | 'merchant'

export type GatewayFault = {
  api: GatewayApi | '*'
  fault: GatewayFaultKind
  /** How many matching calls it hits (default 1). */
  times?: number
  mode?: GatewayMode | '*'
  /** `timeout` only: how long the request is held before its socket is destroyed (default 20000). */
  holdMs?: number
}

export const CALLBACK_FAULTS = ['drop', 'duplicate', 'delay'] as const
export type CallbackFaultKind = (typeof CALLBACK_FAULTS)[number]
export type CallbackKind = 'payment' | 'refund'

export type CallbackFault = {
  fault: CallbackFaultKind
  times?: number
  /** `delay` only (default 200). */
  delayMs?: number
  kind?: CallbackKind | '*'
}

/** The actions DatabaseProtocol answers. */
export const DB_ACTIONS = [
  'database.addCollection',
  'database.startTransaction',
  'database.commitTransaction',
  'database.abortTransaction',
  'database.insertDocument',
  'database.getDocument',
  'database.calculateDocument',
  'database.modifyDocument',
  'database.modifyAndReturnDoc',
  'database.removeDocument',
  'database.aggregateDocuments',
] as const
/** The requests that change data (a transaction's changes count once, at its commit). */
export const DB_WRITE_ACTIONS: readonly string[] = [
  'database.insertDocument',
  'database.modifyDocument',
  'database.modifyAndReturnDoc',
  'database.removeDocument',
  'database.commitTransaction',
]
export const DB_FAULTS = ['error', 'crash'] as const
export type DbFaultKind = (typeof DB_FAULTS)[number]

export type DbFault = {
  fault: DbFaultKind
  action?: string
  collection?: string
  /** `error` only (default 1); a crash happens once. */
  times?: number
  /** `crash` only: how many more matching writes are applied and made durable first (default 1). */
  afterWrites?: number
}

export type FaultsInput = { gateway?: GatewayFault[]; callbacks?: CallbackFault[]; db?: DbFault[] }

/** A fault as stored: defaults filled in. */
export type NormalizedGatewayFault = Required<Omit<GatewayFault, 'holdMs'>> & { holdMs?: number }
export type NormalizedCallbackFault = Required<Omit<CallbackFault, 'delayMs'>> & { delayMs?: number }
export type NormalizedDbFault = { fault: DbFaultKind; action: string; collection: string; times: number; afterWrites?: number }

export type FaultSpec =
  { category: 'gateway'; spec: NormalizedGatewayFault } | { category: 'callbacks'; spec: NormalizedCallbackFault } | { category: 'db'; spec: NormalizedDbFault }

export const DEFAULT_HOLD_MS = 20_000
export const DEFAULT_DELAY_MS = 200
const MAX_TIMES = 1_000_000
const MAX_WAIT_MS = 10 * 60_000
const MAX_FAULTS_PER_REQUEST = 1000

/** Bad input; `message` names the field. */
export class FaultInputError extends Error {
  readonly code = 'INVALID_ARGUMENT'
}

type Fields = Record<string, unknown>

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function only(value: Fields, where: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new FaultInputError(`${where}.${key} is not a known field (known: ${allowed.join(', ')})`)
  }
}

function oneOf<T extends string>(value: unknown, where: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new FaultInputError(`${where} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`)
  }
  return value as T
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultInputError(`${where} must be an integer from ${min} to ${max}`)
  }
  return value
}

function times(f: Fields, where: string): number {
  return f['times'] === undefined ? 1 : integer(f['times'], `${where}.times`, 1, MAX_TIMES)
}

function onlyFor(f: Fields, where: string, field: string, fault: string): void {
  if (f[field] !== undefined && f['fault'] !== fault) throw new FaultInputError(`${where}.${field} only applies to fault '${fault}'`)
}

function gatewayFault(raw: unknown, where: string): NormalizedGatewayFault {
  if (!isRecord(raw)) throw new FaultInputError(`${where} must be an object`)
  only(raw, where, ['api', 'fault', 'times', 'mode', 'holdMs'])
  const api = oneOf(raw['api'], `${where}.api`, [...GATEWAY_APIS, '*'] as const)
  const fault = oneOf(raw['fault'], `${where}.fault`, GATEWAY_FAULTS)
  if (fault === 'orderpaid' && api !== 'closeOrder' && api !== '*') {
    throw new FaultInputError(`${where}.api must be 'closeOrder' (or '*') for fault 'orderpaid'`)
  }
  onlyFor(raw, where, 'holdMs', 'timeout')
  const mode = raw['mode'] === undefined ? '*' : oneOf(raw['mode'], `${where}.mode`, ['cloudpay', 'merchant', '*'] as const)
  const spec: NormalizedGatewayFault = { api, fault, times: times(raw, where), mode }
  if (fault === 'timeout') spec.holdMs = raw['holdMs'] === undefined ? DEFAULT_HOLD_MS : integer(raw['holdMs'], `${where}.holdMs`, 0, MAX_WAIT_MS)
  return spec
}

function callbackFault(raw: unknown, where: string): NormalizedCallbackFault {
  if (!isRecord(raw)) throw new FaultInputError(`${where} must be an object`)
  only(raw, where, ['fault', 'times', 'delayMs', 'kind'])
  const fault = oneOf(raw['fault'], `${where}.fault`, CALLBACK_FAULTS)
  onlyFor(raw, where, 'delayMs', 'delay')
  const kind = raw['kind'] === undefined ? '*' : oneOf(raw['kind'], `${where}.kind`, ['payment', 'refund', '*'] as const)
  const spec: NormalizedCallbackFault = { fault, times: times(raw, where), kind }
  if (fault === 'delay') spec.delayMs = raw['delayMs'] === undefined ? DEFAULT_DELAY_MS : integer(raw['delayMs'], `${where}.delayMs`, 0, MAX_WAIT_MS)
  return spec
}

function dbFault(raw: unknown, where: string): NormalizedDbFault {
  if (!isRecord(raw)) throw new FaultInputError(`${where} must be an object`)
  only(raw, where, ['fault', 'action', 'collection', 'times', 'afterWrites'])
  const fault = oneOf(raw['fault'], `${where}.fault`, DB_FAULTS)
  const action = raw['action'] === undefined || raw['action'] === '*' ? '*' : oneOf(raw['action'], `${where}.action`, DB_ACTIONS)
  if (fault === 'crash' && action !== '*' && !DB_WRITE_ACTIONS.includes(action)) {
    throw new FaultInputError(`${where}.action must be a write (${DB_WRITE_ACTIONS.join(', ')}) for fault 'crash'`)
  }
  const collection = raw['collection'] === undefined ? '*' : raw['collection']
  if (typeof collection !== 'string' || !/^(\*|[A-Za-z_][A-Za-z0-9_-]{0,63})$/.test(collection)) {
    throw new FaultInputError(`${where}.collection must be a collection name or '*'`)
  }
  onlyFor(raw, where, 'afterWrites', 'crash')
  if (fault === 'crash') {
    if (raw['times'] !== undefined && raw['times'] !== 1) throw new FaultInputError(`${where}.times must be 1 (or absent) for fault 'crash': it happens once`)
    const afterWrites = raw['afterWrites'] === undefined ? 1 : integer(raw['afterWrites'], `${where}.afterWrites`, 1, MAX_TIMES)
    return { fault, action, collection, times: 1, afterWrites }
  }
  return { fault, action, collection, times: times(raw, where) }
}

function list(body: Fields, key: keyof FaultsInput): unknown[] {
  const value = body[key]
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new FaultInputError(`${key} must be an array`)
  if (value.length > MAX_FAULTS_PER_REQUEST) throw new FaultInputError(`${key} has more than ${MAX_FAULTS_PER_REQUEST} faults`)
  return value
}

/** Validates the whole input first: a bad fault anywhere adds nothing. */
export function parseFaultsInput(body: unknown): FaultSpec[] {
  if (!isRecord(body)) throw new FaultInputError('body must be an object { gateway?, callbacks?, db? }')
  only(body, 'body', ['gateway', 'callbacks', 'db'])
  return [
    ...list(body, 'gateway').map((raw, n): FaultSpec => ({ category: 'gateway', spec: gatewayFault(raw, `gateway[${n}]`) })),
    ...list(body, 'callbacks').map((raw, n): FaultSpec => ({ category: 'callbacks', spec: callbackFault(raw, `callbacks[${n}]`) })),
    ...list(body, 'db').map((raw, n): FaultSpec => ({ category: 'db', spec: dbFault(raw, `db[${n}]`) })),
  ]
}
