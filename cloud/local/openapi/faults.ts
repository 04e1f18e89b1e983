// Test-only faults for `cloud.openapi.*` calls, in the pattern of cloud/local/faults (in memory,
// inert until added, each hits `times` matching calls, first added first):
//   timeout      the call is held for holdMs, then its connection is destroyed; not processed
//   systemerror  the platform answers errcode -1 "system error"; not processed

export const OPENAPI_FAULTS = ['timeout', 'systemerror'] as const
export type OpenApiFaultKind = (typeof OPENAPI_FAULTS)[number]

export type OpenApiFault = {
  fault: OpenApiFaultKind
  /** The open API name (`wxa.sec.order.uploadShippingInfo`), or `*` (default). */
  api?: string
  times?: number
  /** `timeout` only (default 20000). */
  holdMs?: number
}

type Armed = Required<OpenApiFault> & { left: number }

export class OpenApiFaultError extends Error {}

export class OpenApiFaults {
  private armed: Armed[] = []

  /** `fault` is checked here: a test that sends a wrong one should hear about it. */
  add(input: unknown): OpenApiFault {
    const f = input as Partial<OpenApiFault> | null
    if (!f || typeof f !== 'object' || !OPENAPI_FAULTS.includes(f.fault as OpenApiFaultKind))
      throw new OpenApiFaultError(`fault must be one of ${OPENAPI_FAULTS.join(', ')}`)
    const times = f.times ?? 1
    const holdMs = f.holdMs ?? 20_000
    if (!Number.isSafeInteger(times) || times < 1) throw new OpenApiFaultError('times must be a positive integer')
    if (!Number.isSafeInteger(holdMs) || holdMs < 0 || holdMs > 120_000) throw new OpenApiFaultError('holdMs must be 0 … 120000')
    if (f.api !== undefined && typeof f.api !== 'string') throw new OpenApiFaultError('api must be a string')
    const fault: Armed = { fault: f.fault as OpenApiFaultKind, api: f.api ?? '*', times, holdMs, left: times }
    this.armed.push(fault)
    return { fault: fault.fault, api: fault.api, times, holdMs }
  }

  /** The fault that hits this call, if any (and counts it). */
  take(api: string): Armed | undefined {
    const hit = this.armed.find((f) => f.left > 0 && (f.api === '*' || f.api === api))
    if (hit) hit.left -= 1
    return hit
  }

  list(): Array<OpenApiFault & { left: number }> {
    return this.armed.map((f) => ({ ...f }))
  }

  clear(): void {
    this.armed = []
  }
}
