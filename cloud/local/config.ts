import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { LocalCloudOptions } from './localcloud'

export class LocalConfigError extends Error {}

/** Reads KEY=VALUE lines (a `.env` file); later files and the real environment win. */
export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  const out: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match || line.trimStart().startsWith('#')) continue
    out[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2')
  }
  return out
}

function number(env: Record<string, string | undefined>, key: string, fallback: number, check: (n: number) => boolean): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || !check(value)) throw new LocalConfigError(`${key}=${raw} is not valid`)
  return value
}

/**
 * Without any configuration the functions run in cloudPay mode with a demo merchant number that
 * the simulator accepts, so `npm start` is a working shop on a fresh clone.
 */
export const LOCAL_FUNCTION_DEFAULTS = { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109' } as const

/** The local cloud's settings from the environment, with `.env` in the project root as defaults. */
export function localCloudOptions(root: string, processEnv: Record<string, string | undefined>): LocalCloudOptions {
  const env: Record<string, string | undefined> = { ...LOCAL_FUNCTION_DEFAULTS, ...readDotEnv(path.join(root, '.env')), ...processEnv }
  const resolve = (value: string | undefined, fallback: string): string => path.resolve(root, value || fallback)
  return {
    port: number(env, 'PORT', 8787, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    dataDir: resolve(env['CLOUD_DATA_DIR'], '.cloud-data'),
    functionsDir: resolve(env['FUNCTIONS_DIR'], 'dist/cloudfunctions'),
    h5Dir: resolve(env['H5_DIR'], 'dist/h5'),
    envId: env['TCB_ENV'] || 'local-env',
    appid: env['WX_APPID'] || 'wx0000000000local',
    simTimeScale: number(env, 'SIM_TIME_SCALE', 1, (n) => n > 0 && n <= 1),
    defaultTimeoutSeconds: number(env, 'FUNCTION_TIMEOUT_SECONDS', 3, (n) => n > 0 && n <= 900),
    functionEnv: env,
    netGuard: env['NET_GUARD_MODULE'] || undefined,
    timers: env['LOCAL_TIMERS'] !== '0',
  }
}
