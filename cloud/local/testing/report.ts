import { appendFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'

/** Where the tests leave what they measured for docs/reliability.md (`npm run reliability`). */
export const RELIABILITY_LOG = path.resolve(__dirname, '..', '..', '..', '.test-artifacts', 'reliability.jsonl')

export type ReliabilityRow = {
  area: 'fault' | 'hostile' | 'crash' | 'audit'
  what: string
  mode: string
  times: number
  /** Each must be zero. */
  ordersLost: number
  doubleTransitions: number
  wrongStates: number
  other: Record<string, number>
}

export function recordRow(row: ReliabilityRow): void {
  mkdirSync(path.dirname(RELIABILITY_LOG), { recursive: true })
  appendFileSync(RELIABILITY_LOG, `${JSON.stringify(row)}\n`)
}
