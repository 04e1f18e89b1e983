// The simulator's configuration, checked once: every problem is reported together.
import type { Merchant } from './apiV2'
import { PaySimError } from './errors'
import { MCH_ID } from './params'

export interface ConfigInput {
  timeScale: number
  appid: string
  envId: string
  merchants: readonly Merchant[]
  cloudPayKey: string
  boundSubMchIds?: readonly string[]
  notifyTimeoutMs?: number
}

export interface SimConfig {
  appid: string
  envId: string
  cloudPayKey: string
  merchants: ReadonlyMap<string, Merchant>
  boundSubMchIds: ReadonlySet<string>
}

export function validateConfig(input: ConfigInput): SimConfig {
  const problems: string[] = []
  if (!(Number.isFinite(input.timeScale) && input.timeScale > 0)) problems.push('timeScale must be a number > 0')
  if (!input.appid) problems.push('appid is required')
  if (!input.envId) problems.push('envId is required')
  if (!input.cloudPayKey) problems.push('cloudPayKey is required')
  if (input.notifyTimeoutMs !== undefined && !(input.notifyTimeoutMs > 0)) problems.push('notifyTimeoutMs must be > 0')
  const merchants = new Map<string, Merchant>()
  for (const m of input.merchants) {
    if (!MCH_ID.test(m.mchId)) problems.push(`merchant id ${JSON.stringify(m.mchId)} is malformed`)
    else if (merchants.has(m.mchId)) problems.push(`merchant ${m.mchId} is listed twice`)
    if (!m.key) problems.push(`merchant ${m.mchId} has no key`)
    merchants.set(m.mchId, m)
  }
  const bound = input.boundSubMchIds ?? input.merchants.map((m) => m.mchId)
  for (const id of bound) if (!MCH_ID.test(id)) problems.push(`bound sub merchant id ${JSON.stringify(id)} is malformed`)
  if (problems.length > 0) throw new PaySimError('CONFIG_ERROR', `pay simulator configuration: ${problems.join('; ')}`)
  return {
    appid: input.appid,
    envId: input.envId,
    cloudPayKey: input.cloudPayKey,
    merchants,
    boundSubMchIds: new Set(bound),
  }
}
