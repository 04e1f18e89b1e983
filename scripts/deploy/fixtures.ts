import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildFunctions } from '../build-functions'
import type { TcbRunner } from './tcb'

// Test helpers for the deploy: a small repository of real functions (built by the real
// build-functions, so hashes follow built output) and a tcb that records instead of deploying.

export type FunctionSource = { code: string; config: Record<string, unknown> }

/** Three functions: `pay` and `staff` bundle cloud/payment/shared.ts, `plain` does not; `staff` has a timer. */
export const FIXTURE_FUNCTIONS: Record<string, FunctionSource> = {
  pay: {
    code: "import { shared } from '../../payment/shared'\nexport const main = async () => shared('pay')\n",
    config: { timeout: 10, variables: { pay: true, optional: ['ADMIN_OPENIDS'] } },
  },
  plain: {
    code: "export const main = async () => 'plain'\n",
    config: { timeout: 5, variables: {} },
  },
  staff: {
    code: "import { shared } from '../../payment/shared'\nexport const main = async () => shared('staff')\n",
    config: {
      timeout: 60,
      triggers: [{ name: 'everyTenMinutes', type: 'timer', config: '0 */10 * * * * *' }],
      variables: { pay: true, required: ['ADMIN_OPENIDS'], optional: ['RECONCILE_UNPAID_AFTER_SECONDS'] },
    },
  },
}

export type Repo = {
  root: string
  write: (rel: string, text: string) => void
  read: (rel: string) => string
  exists: (rel: string) => boolean
  build: (names: readonly string[]) => Promise<void>
  remove: () => void
}

export function tempRepo(functions: Record<string, FunctionSource> = FIXTURE_FUNCTIONS): Repo {
  const root = mkdtempSync(path.join(tmpdir(), 'deploy-'))
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), text)
  }
  write('cloud/payment/shared.ts', 'export const shared = (name: string): string => `shared ${name}`\n')
  for (const [name, fn] of Object.entries(functions)) {
    write(`cloud/functions/${name}/index.ts`, fn.code)
    write(`cloud/functions/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', main: 'index.js' }))
    write(`cloud/functions/${name}/config.json`, JSON.stringify(fn.config, null, 2))
  }
  return {
    root,
    write,
    read: (rel) => readFileSync(path.join(root, rel), 'utf8'),
    exists: (rel) => {
      try {
        readFileSync(path.join(root, rel))
        return true
      } catch {
        return false
      }
    },
    build: async (names) => {
      await buildFunctions(names, root)
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}

export type Outcome = 'deployed' | 'updated' | 'exit1' | 'silent0' | 'throws'
export type TcbCall = { args: string[]; cwd: string; env: Record<string, string>; cloudbaserc: string | null }

/**
 * A tcb that records each call (with the cloudbaserc.json it would have read) and answers as
 * told per function; it echoes a line quoting every value it was given, as a careless tool might.
 */
export function recordingTcb(outcomes: Record<string, Outcome> = {}): { tcb: TcbRunner; calls: TcbCall[] } {
  const calls: TcbCall[] = []
  const tcb: TcbRunner = async (args, { cwd, env, onLine }) => {
    let cloudbaserc: string | null = null
    try {
      cloudbaserc = readFileSync(path.join(cwd, 'cloudbaserc.json'), 'utf8')
    } catch {
      // not written
    }
    calls.push({ args: [...args], cwd, env: { ...env }, cloudbaserc })
    const name = args[2]!
    const outcome = outcomes[name] ?? 'deployed'
    if (outcome === 'throws') throw new Error('spawn tcb ENOENT')
    const lines = [
      'CloudBase CLI 2.12.10',
      `env: ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    ]
    if (outcome === 'deployed') lines.push(`\u001b[32m✔\u001b[39m [${name}] 云函数部署成功！`)
    if (outcome === 'updated') lines.push(`✔ [${name}] Cloud function updated successfully!`)
    if (outcome === 'silent0') lines.push(`✖ [${name}] 函数部署失败`, '  错误信息: AuthFailure')
    if (outcome === 'exit1') lines.push('Error: 未登录')
    for (const line of lines) onLine(line)
    return { code: outcome === 'exit1' ? 1 : 0, output: `${lines.join('\n')}\n` }
  }
  return { tcb, calls }
}
