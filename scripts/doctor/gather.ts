import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { FUNCTION_ROOT, sourceFunctions } from '../deploy/deploy'
import { parseEnvFile } from '../deploy/envFile'
import { parseFunctionConfig, type ConfigResult } from '../deploy/functionConfig'
import { BUILD_FILE, folderHash, readBuildInfo } from '../deploy/hash'
import { manifestPath, readManifest } from '../deploy/manifest'
import type { Values } from '../deploy/variables'
import { parseHealth, type Facts, type HealthFact } from './checks'

// One gatherer per source of facts: the repository (config.json files, builds, the manifest,
// project.config.json), the values the functions get, and a running local cloud over HTTP.
// Each turns what it cannot read into a fact ("not checked: why") rather than an exception.

type Env = Readonly<Record<string, string | undefined>>

async function readEnvFile(file: string): Promise<{ values: Record<string, string>; problems: string[] } | null> {
  if (!existsSync(file)) return null
  const parsed = parseEnvFile(await fs.readFile(file, 'utf8'), path.basename(file))
  return parsed.ok ? { values: parsed.values, problems: [] } : { values: {}, problems: parsed.problems }
}

/** The mini program's build settings: the shell's environment, TARO_APP_ID also from `.env.release` (Taro reads it there), and the root project.config.json. */
export async function gatherClient(root: string, env: Env): Promise<Facts['client']> {
  const release = await readEnvFile(path.join(root, '.env.release'))
  let projectAppId: string | undefined
  try {
    const project = JSON.parse(await fs.readFile(path.join(root, 'project.config.json'), 'utf8')) as { appid?: unknown }
    projectAppId = typeof project.appid === 'string' ? project.appid : undefined
  } catch {
    projectAppId = undefined
  }
  const taroAppId = env['TARO_APP_ID'] || release?.values['TARO_APP_ID']
  return { env: { ...env, ...(taroAppId ? { TARO_APP_ID: taroAppId } : {}) }, projectAppId }
}

/**
 * The functions' values. The cloud: `.env.<envId>` over the environment, as the deploy reads
 * them. Locally: what the local cloud gives its functions — its defaults, `.env`, then the
 * environment — with `{{LOCAL_CLOUD_URL}}` filled in.
 */
export async function gatherValues(root: string, env: Env, target: 'tcb' | 'local', envId: string | undefined, url: string): Promise<Facts['values']> {
  if (target === 'local') {
    const dotEnv = await readEnvFile(path.join(root, '.env'))
    const merged: Record<string, string | undefined> = { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ...dotEnv?.values, ...env }
    for (const [key, value] of Object.entries(merged)) if (value?.includes('{{LOCAL_CLOUD_URL}}')) merged[key] = value.split('{{LOCAL_CLOUD_URL}}').join(url)
    return { values: merged, source: dotEnv ? '.env (the local cloud’s)' : 'the environment (no .env)', problems: dotEnv?.problems ?? [] }
  }
  const file = envId ? await readEnvFile(path.join(root, `.env.${envId}`)) : null
  if (!file) return { values: env, source: `the environment (no .env.${envId ?? '<envId>'})`, problems: [] }
  return { values: { ...env, ...file.values }, source: `.env.${envId} over the environment`, problems: file.problems }
}

/** cloud/functions/<name>/config.json for every function, through the deploy's parser. */
export async function gatherFunctions(root: string): Promise<Array<{ name: string; config: ConfigResult }>> {
  const names = await sourceFunctions(root)
  return Promise.all(
    names.map(async (name) => {
      try {
        const raw: unknown = JSON.parse(await fs.readFile(path.join(root, 'cloud', 'functions', name, 'config.json'), 'utf8'))
        return { name, config: parseFunctionConfig(raw) }
      } catch (error) {
        return { name, config: { ok: false, problems: [`unreadable (${(error as Error).message})`] } as ConfigResult }
      }
    }),
  )
}

/** dist/cloudfunctions/<name>: what build.json records and what the folder hashes to now. */
export async function gatherBuilt(root: string, names: readonly string[]): Promise<Facts['built']> {
  return Promise.all(
    names.map(async (name) => {
      const dir = path.join(root, FUNCTION_ROOT, name)
      if (!existsSync(path.join(dir, 'index.js')) && !existsSync(path.join(dir, BUILD_FILE))) return { name, recorded: null, actual: null }
      return { name, recorded: await readBuildInfo(dir), actual: await folderHash(dir) }
    }),
  )
}

export async function gatherManifest(root: string, envId: string | undefined): Promise<Facts['manifest']> {
  return envId ? readManifest(manifestPath(root, envId)) : null
}

const NOT_HERE = 'needs a running local cloud: --target local'

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json().catch(() => null)) as unknown }
}

/** Whether a local cloud answers at `url` (GET /healthz). */
export async function gatherLocalCloud(url: string | null): Promise<Facts['localCloud']> {
  if (!url) return null
  try {
    const res = await fetch(`${url}/healthz`)
    return res.ok ? { reachable: true } : { reachable: false, why: `${url}/healthz answered HTTP ${res.status}` }
  } catch (error) {
    return { reachable: false, why: `no local cloud at ${url} (${(error as Error).message})` }
  }
}

/** The local cloud's collections, from GET /healthz (it lists them). */
export async function gatherCollections(url: string | null): Promise<Facts['collections']> {
  if (!url) return { checked: false, why: NOT_HERE }
  try {
    const res = await fetch(`${url}/healthz`)
    const body = (await res.json()) as { collections?: unknown }
    if (!Array.isArray(body.collections)) return { checked: false, why: `${url}/healthz does not list collections` }
    return { checked: true, names: body.collections.filter((c): c is string => typeof c === 'string') }
  } catch (error) {
    return { checked: false, why: `no local cloud at ${url} (${(error as Error).message}): npm run start:cloud` }
  }
}

const PAGE = 1000

/** Every goods picture (`pic`, `pics`), read through the local cloud's database endpoint (POST /admin, as wx-server-sdk does). */
export async function gatherGoods(url: string | null): Promise<Facts['goods']> {
  if (!url) return { checked: false, why: NOT_HERE }
  const pictures: string[] = []
  try {
    for (let offset = 0; ; offset += PAGE) {
      const answer = await postJson(`${url}/admin`, {
        action: 'database.getDocument',
        collectionName: 'goods',
        query: '{}',
        projection: JSON.stringify({ pic: true, pics: true }),
        offset,
        limit: PAGE,
      })
      const data = (answer.body as { code?: unknown; message?: unknown; data?: { list?: unknown } } | null) ?? {}
      if (data.code) return { checked: false, why: `the goods could not be read: ${String(data.code)} ${String(data.message ?? '')}`.trim() }
      const list = data.data?.list
      if (!Array.isArray(list)) return { checked: false, why: 'the goods could not be read: no list in the answer' }
      for (const item of list) {
        const doc = (typeof item === 'string' ? JSON.parse(item) : item) as { pic?: unknown; pics?: unknown }
        const all = [doc.pic, ...(Array.isArray(doc.pics) ? doc.pics : [])].filter((p): p is string => typeof p === 'string' && p !== '')
        pictures.push(...all)
      }
      if (list.length < PAGE) break
    }
  } catch (error) {
    return { checked: false, why: `no local cloud at ${url} (${(error as Error).message})` }
  }
  return { checked: true, pictures: [...new Set(pictures)] }
}

/** Asks one function for its health; resolves to its raw answer. */
export type HealthProbe = (name: string) => Promise<unknown>

/**
 * `$health` over the local cloud's function endpoint, which always names a caller
 * (docs/operations.md): asked as staff, an OPENID in the local cloud's ADMIN_OPENIDS.
 */
export function httpHealthProbe(url: string, staffOpenid: string): HealthProbe {
  return async (name) => {
    const answer = await postJson(`${url}/api/functions/${name}`, { $health: true }, { 'x-wx-openid': staffOpenid })
    return answer.body
  }
}

export async function gatherHealth(names: readonly string[], probe: HealthProbe | { why: string }): Promise<Facts['health']> {
  if (typeof probe !== 'function') return { checked: false, why: probe.why }
  const functions: HealthFact[] = []
  for (const name of names) {
    try {
      const answer = parseHealth(await probe(name))
      functions.push(typeof answer === 'string' ? { name, error: answer } : { name, answer })
    } catch (error) {
      functions.push({ name, error: `no answer (${(error as Error).message})` })
    }
  }
  return { checked: true, functions }
}

/** The first OPENID of ADMIN_OPENIDS: who the doctor asks as over HTTP. */
export function staffOpenid(values: Values): string | undefined {
  return values['ADMIN_OPENIDS']
    ?.split(',')
    .map((id) => id.trim())
    .find(Boolean)
}
