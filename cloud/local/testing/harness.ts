import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../localcloud'
import { tempDir } from './tmp'

export { tempDir }

export const ROOT = path.resolve(__dirname, '..', '..', '..')
export const BUILT_FUNCTIONS = path.join(ROOT, 'dist', 'cloudfunctions')
export const FIXTURE_FUNCTIONS = path.join(ROOT, 'cloud', 'local', 'runner', 'fixtures')

export type TestCloud = LocalCloud & { dataDir: string; stop(): Promise<void> }

/** A local cloud in this process, on a free port, with its own empty data folder. */
export async function startTestCloud(overrides: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const data = tempDir('local-cloud')
  const cloud = await startLocalCloud({
    port: 0,
    dataDir: data.dir,
    functionsDir: BUILT_FUNCTIONS,
    h5Dir: path.join(ROOT, 'dist', 'h5'),
    envId: 'test-env',
    appid: 'wx0000000000test',
    simTimeScale: 0.001,
    defaultTimeoutSeconds: 10,
    functionEnv: { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109' },
    netGuard: process.env['NET_GUARD_MODULE'],
    ...overrides,
  })
  return Object.assign(cloud, {
    dataDir: data.dir,
    async stop() {
      await cloud.close()
      data.remove()
    },
  })
}

/**
 * Points this process's wx-server-sdk at a local cloud (the seam in docs/local-cloud.md) and
 * returns the real, unmodified SDK.
 */
export function sdkFor(url: string, caller: { openid?: string; source?: string } = {}): typeof import('wx-server-sdk') {
  Object.assign(process.env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    TENCENTCLOUD: 'true',
    TCB_ENV: 'test-env',
    SCF_NAMESPACE: 'test-env',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
    WX_OPENID: caller.openid ?? 'test-runner',
    WX_APPID: 'wx0000000000test',
    TCB_SOURCE: caller.source ?? 'wx_client',
    SILENCE: 'true',
  })
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk')
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  return cloud
}

export async function callFunction(url: string, name: string, event: unknown, openid = 'test-user'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(event),
  })
  return { status: res.status, body: await res.json() }
}

/**
 * wx-server-sdk's typings model its callback overloads (`string | void | Promise<…>`); tests
 * only use the promise forms, so they talk to the database through this loose type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseDb = any

export function databaseFor(url: string): LooseDb {
  return sdkFor(url).database()
}

export type ChildCloud = { url: string; child: ChildProcess; output(): string; exited: Promise<number | null> }

/** A local cloud as its own process (`npm start` without the builds), for crash tests. */
export function spawnLocalCloud(env: Record<string, string>): Promise<ChildCloud> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cloud', 'local', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return childCloud(child, 'local cloud', 20_000)
}

/**
 * Waits for a spawned local cloud's "listening on" line. The output is kept for error messages
 * and tests (its last `keep` characters) but searched only until that line appears: a cloud
 * under load prints a line per invocation, and searching all of it again on every chunk made the
 * benchmark's own process, not the cloud, the bottleneck of a long run.
 */
export function childCloud(child: ChildProcess, label: string, timeoutMs: number, keep = 1 << 20): Promise<ChildCloud> {
  let output = ''
  let url: string | undefined
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.length > keep) output = output.slice(-keep)
      if (url !== undefined) return
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        url = match[1]!
        resolve({ url, child, output: () => output, exited })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited with ${code}:\n${output}`))
    })
  })
}
