import { COLLECTIONS } from '../../cloud/local/seed/goods'
import { clientSettings, TOURIST_APPID } from '../../config/clientEnv'
import type { ConfigResult } from '../deploy/functionConfig'
import type { Manifest } from '../deploy/manifest'
import { functionVariables, type Target, type Values } from '../deploy/variables'

// `npm run doctor`: every rule is a small pure function over facts the gatherers collected
// (gather.ts), so each rule has a unit test that feeds it facts and no I/O. A check answers one
// row of the table: pass, fail (the exit code says so) or warn (worth a look, or not checkable
// from here — the row says what could not be checked and why).

export type Status = 'pass' | 'fail' | 'warn'
export type Row = { check: string; status: Status; detail: string }

/** Something a gatherer could not look at, and why (shown as a warning, never a pass). */
export type Unchecked = { checked: false; why: string }

export type HealthAnswer = { build: string; payMode: string; problems: string[] }
export type HealthFact = { name: string; answer: HealthAnswer } | { name: string; error: string }

export type Facts = {
  target: Target
  envId: string | undefined
  /** The mini program's build settings (TARO_APP_ID, CLOUD_ENV, ASSET_BASE) and the root project.config.json's appid. */
  client: { env: Values; projectAppId: string | undefined }
  /** The functions' values (`.env.<envId>` over the environment; locally `.env`), and what was wrong reading them. */
  values: { values: Values; source: string; problems: string[] }
  /** cloud/functions/<name>/config.json, parsed by the deploy's own parser. */
  functions: ReadonlyArray<{ name: string; config: ConfigResult }>
  /** dist/cloudfunctions/<name>: the hash build.json records and the folder's actual hash (null: not built). */
  built: ReadonlyArray<{ name: string; recorded: string | null; actual: string | null }>
  /** deploy/<envId>.json; null when no environment was named. */
  manifest: { ok: true; manifest: Manifest } | { ok: false; problem: string } | null
  /** Every picture of every goods (pic and pics). */
  goods: { checked: true; pictures: string[] } | Unchecked
  collections: { checked: true; names: string[] } | Unchecked
  /** Whether a running local cloud answered GET /healthz; null for the cloud target. */
  localCloud: { reachable: true } | { reachable: false; why: string } | null
  /** Each function's `$health` answer from a running local cloud; null for the cloud target (not asked). */
  health: { checked: true; functions: HealthFact[] } | Unchecked | null
}

/** The collections the README tells ops to create (Deploying to WeChat). */
/** The collections the functions need: the local cloud's own list (README, deploy guide step 4). */
export const REQUIRED_COLLECTIONS = COLLECTIONS

const row = (check: string, status: Status, detail: string): Row => ({ check, status, detail })
const short = (hash: string): string => `${hash.slice(0, 12)}…`
const set = (values: Values, key: string): string | undefined => values[key]?.trim() || undefined

export const payModeOf = (values: Values): string => set(values, 'PAY_MODE') ?? 'cloudpay'

/** The weapp release build's own rules (config/clientEnv.ts), as `--mode release` would apply them. */
function release(client: Facts['client']) {
  return clientSettings({ env: { ...client.env, TARO_ENV: 'weapp', NODE_ENV: 'production' }, mode: 'release', templateAppId: client.projectAppId, root: '/' })
}

export function checkAppId(client: Facts['client']): Row {
  const name = 'AppID'
  const fromEnv = set(client.env, 'TARO_APP_ID')
  const appId = fromEnv ?? client.projectAppId?.trim()
  const where = fromEnv ? 'TARO_APP_ID' : 'project.config.json'
  const fix = 'set TARO_APP_ID=wx… (your AppID) for npm run build:weapp -- --mode release'
  if (!appId) return row(name, 'fail', `not set: ${fix}`)
  if (appId === TOURIST_APPID) return row(name, 'fail', `${where} is the tourist AppID (no cloud development, no WeChat Pay): ${fix}`)
  if (!/^wx[0-9a-zA-Z]{14,18}$/.test(appId)) return row(name, 'fail', `${where}=${appId} is not a mini program AppID (wx…): ${fix}`)
  return row(name, 'pass', `${appId} (${where})`)
}

export function checkCloudEnv(client: Facts['client'], envId: string | undefined): Row {
  const name = 'client cloud environment'
  const cloudEnv = set(client.env, 'CLOUD_ENV')
  if (!cloudEnv)
    return row(name, 'fail', 'CLOUD_ENV is not set: the mini program would call its default environment. Set CLOUD_ENV=<env id> for the weapp build')
  const error = release(client).errors.find((e) => e.startsWith('CLOUD_ENV'))
  if (error) return row(name, 'fail', error)
  if (envId && envId !== cloudEnv)
    return row(name, 'warn', `CLOUD_ENV=${cloudEnv}, but the functions are checked for ${envId}: is the mini program built for another environment?`)
  return row(name, 'pass', `CLOUD_ENV=${cloudEnv}`)
}

/** A picture the mini program loads as it is: a cloud:// file id or a full https URL. */
const loadsAsIs = (picture: string): boolean => /^cloud:\/\//.test(picture) || /^https:\/\//i.test(picture)

export function checkPictures(client: Facts['client'], goods: Facts['goods']): Row {
  const name = 'goods pictures'
  const base = set(client.env, 'ASSET_BASE')
  const error = release(client).errors.find((e) => e.startsWith('ASSET_BASE'))
  if (base && error) return row(name, 'fail', error)
  if (base) return row(name, 'pass', `ASSET_BASE=${base} (https)${goods.checked ? `; ${goods.pictures.length} pictures in goods` : ''}`)
  if (!goods.checked) {
    return row(
      name,
      'warn',
      `ASSET_BASE is not set and the goods were not checked (${goods.why}): pictures stored as paths will not load — set ASSET_BASE=https://… or give the goods cloud:// file ids`,
    )
  }
  const paths = goods.pictures.filter((picture) => !loadsAsIs(picture))
  if (paths.length === 0) return row(name, 'pass', `ASSET_BASE not set; all ${goods.pictures.length} pictures in goods are cloud:// file ids or https URLs`)
  return row(
    name,
    'fail',
    `ASSET_BASE is not set and ${paths.length} of ${goods.pictures.length} pictures are not cloud:// or https (e.g. ${paths[0]}): set ASSET_BASE=https://<your picture host> or upload them as cloud:// file ids`,
  )
}

/** Every function's variables through the deploy's checks (loadPayConfig, ADMIN_OPENIDS, RECONCILE_*, what the cloud cannot carry). */
export function checkVariables(facts: Pick<Facts, 'functions' | 'values' | 'target'>): Row[] {
  const { values, source, problems } = facts.values
  const mode = payModeOf(values)
  const rows: Row[] = []
  if (problems.length > 0) rows.push(row('values', 'fail', `${source}: ${problems.join('; ')}`))
  for (const fn of facts.functions) {
    const check = `variables: ${fn.name}`
    if (!fn.config.ok) {
      rows.push(row(check, 'fail', `config.json: ${fn.config.problems.join('; ')}`))
      continue
    }
    const result = functionVariables(fn.config.config.variables, values, facts.target)
    if (result.problems.length > 0) rows.push(row(check, 'fail', `${result.problems.join('; ')} — fix in ${source}`))
    else if (result.warnings.length > 0) rows.push(row(check, 'warn', result.warnings.join('; ')))
    else rows.push(row(check, 'pass', fn.config.config.variables.pay ? `${mode} mode, ${Object.keys(result.values).length} variables` : 'no pay variables'))
  }
  return rows
}

/** payNotify's HTTP path: the local cloud's trigger is /api/http/payNotify, in the cloud the HTTP access path ops give it. */
const NOTIFY_PATH = /\/payNotify\/?$/

export function checkMerchant(facts: Pick<Facts, 'values' | 'target' | 'functions'>): Row[] {
  const { values } = facts.values
  if (payModeOf(values) !== 'merchant') return [row('merchant settings', 'pass', `not used: ${payModeOf(values)} mode`)]
  const rows: Row[] = []
  const key = set(values, 'WXPAY_KEY') ?? ''
  rows.push(
    /^[A-Za-z0-9]{32}$/.test(key)
      ? row('merchant key', 'pass', 'WXPAY_KEY: 32 letters and digits')
      : row(
          'merchant key',
          'fail',
          `WXPAY_KEY is ${key ? `${key.length} characters, or not letters and digits` : 'not set'}: the APIv2 key is 32 letters and digits (商户平台 → API安全)`,
        ),
  )

  const notify = set(values, 'WXPAY_NOTIFY_URL')
  let url: URL | null = null
  try {
    url = notify ? new URL(notify.replace('{{LOCAL_CLOUD_URL}}', 'http://127.0.0.1')) : null
  } catch {
    url = null
  }
  const local = facts.target === 'local'
  if (!url)
    rows.push(
      row('notify URL', 'fail', `WXPAY_NOTIFY_URL is ${notify ? 'not a URL' : 'not set'}: set it to payNotify's HTTP access address (https://…/payNotify)`),
    )
  else if (url.protocol !== 'https:' && !local)
    rows.push(row('notify URL', 'fail', `${notify} is not https: WeChat Pay posts notifications to an https address only`))
  else if (!NOTIFY_PATH.test(url.pathname))
    rows.push(row('notify URL', 'fail', `${notify} does not point at payNotify's HTTP path (${local ? '/api/http/payNotify locally' : '…/payNotify'})`))
  else rows.push(row('notify URL', 'pass', notify ?? ''))

  const refunds = facts.functions.filter((fn) => ['refundOrder', 'cancelOrder', 'reconcile'].includes(fn.name)).map((fn) => fn.name)
  const simulator = set(values, 'WXPAY_API_SIMULATOR') === 'true'
  const cert = set(values, 'WXPAY_CERT_P12_BASE64')
  if (refunds.length === 0) rows.push(row('API certificate', 'pass', 'no function refunds'))
  else if (cert) rows.push(row('API certificate', 'pass', `WXPAY_CERT_P12_BASE64 set (${Buffer.from(cert, 'base64').length} bytes)`))
  else if (simulator && local) rows.push(row('API certificate', 'pass', 'not needed: WXPAY_API_SIMULATOR=true (the local simulator)'))
  else
    rows.push(
      row(
        'API certificate',
        'fail',
        `WXPAY_CERT_P12_BASE64 is not set: refunds (${refunds.join(', ')}) answer CONFIG_ERROR — set it to apiclient_cert.p12 in base64`,
      ),
    )
  return rows
}

export function checkReconcileTimer(functions: Facts['functions']): Row {
  const name = 'reconcile timer'
  const reconcile = functions.find((fn) => fn.name === 'reconcile')
  if (!reconcile) return row(name, 'fail', 'no cloud/functions/reconcile: unpaid orders and processing refunds are never settled')
  if (!reconcile.config.ok) return row(name, 'fail', `reconcile/config.json: ${reconcile.config.problems.join('; ')}`)
  const timers = reconcile.config.config.triggers.filter((t) => t.type === 'timer')
  if (timers.length === 0)
    return row(name, 'fail', 'cloud/functions/reconcile/config.json has no timer trigger: add { "name", "type": "timer", "config": "0 */10 * * * * *" }')
  return row(name, 'pass', timers.map((t) => `${t.name} "${t.config}"`).join(', '))
}

export function checkCollections(collections: Facts['collections']): Row {
  const name = 'collections'
  if (!collections.checked) return row(name, 'warn', `not checked (${collections.why}): create ${REQUIRED_COLLECTIONS.join(', ')} in 云开发控制台 → 数据库`)
  const missing = REQUIRED_COLLECTIONS.filter((c) => !collections.names.includes(c))
  if (missing.length > 0) return row(name, 'fail', `missing ${missing.join(', ')}: create them (云开发控制台 → 数据库)`)
  return row(name, 'pass', REQUIRED_COLLECTIONS.join(', '))
}

export function checkBuilds(built: Facts['built']): Row {
  const name = 'builds'
  const problems = built.flatMap((fn) => {
    if (fn.actual === null) return [`${fn.name} not built`]
    if (fn.recorded !== fn.actual) return [`${fn.name}: build.json ${fn.recorded ? 'does not match its folder' : 'missing'}`]
    return []
  })
  if (built.length === 0) return row(name, 'fail', 'no cloud functions found')
  if (problems.length > 0) return row(name, 'fail', `${problems.join('; ')}: run npm run build:functions`)
  return row(name, 'pass', `${built.length} functions built in dist/cloudfunctions`)
}

export function checkManifest(built: Facts['built'], manifest: Facts['manifest'], envId: string | undefined): Row {
  const name = 'deploy manifest'
  if (!manifest || !envId) return row(name, 'warn', 'not checked: no environment named (--env <envId> or CLOUDBASE_ENV_ID)')
  const file = `deploy/${envId}.json`
  if (!manifest.ok) return row(name, 'fail', manifest.problem)
  const never = built.filter((fn) => !manifest.manifest[fn.name]).map((fn) => fn.name)
  const differ = built
    .filter((fn) => fn.actual && manifest.manifest[fn.name] && manifest.manifest[fn.name]!.hash !== fn.actual)
    .map((fn) => `${fn.name} (deployed ${short(manifest.manifest[fn.name]!.hash)}, built ${short(fn.actual!)})`)
  const parts = [...(never.length > 0 ? [`never deployed: ${never.join(', ')}`] : []), ...(differ.length > 0 ? [`differ: ${differ.join(', ')}`] : [])]
  if (parts.length > 0) return row(name, 'fail', `${file}: ${parts.join('; ')} — npm run deploy -- --changed --env ${envId}`)
  return row(name, 'pass', `${file} matches all ${built.length} builds`)
}

export function checkLocalCloud(localCloud: Facts['localCloud']): Row[] {
  if (localCloud === null) return []
  if (!localCloud.reachable) return [row('local cloud', 'fail', `${localCloud.why}: start it (npm start, or npm run start:cloud) or pass --url`)]
  return [row('local cloud', 'pass', 'answers /healthz')]
}

export function checkHealth(health: Facts['health'], built: Facts['built']): Row[] {
  if (health === null) return []
  if (!health.checked) return [row('health', 'warn', `not checked: ${health.why}`)]
  return health.functions.map((fn) => {
    const check = `health: ${fn.name}`
    if ('error' in fn) return row(check, 'fail', fn.error)
    const { build, payMode, problems } = fn.answer
    const local = built.find((b) => b.name === fn.name)?.actual
    const summary = `build ${build === 'unknown' ? build : short(build)}, payMode ${payMode}, config ${problems.length === 0 ? 'ok' : problems.join('；')}`
    if (problems.length > 0) return row(check, 'fail', `${summary} — fix the local cloud's .env and restart it`)
    if (payMode === 'unknown') return row(check, 'fail', `${summary} — PAY_MODE is neither cloudpay nor merchant`)
    if (local && build !== local)
      return row(check, 'fail', `${summary} — not the build in dist/cloudfunctions (${short(local)}): npm run deploy -- ${fn.name} --target local`)
    return row(check, 'pass', summary)
  })
}

/** Every row, in the order printed. */
export function runChecks(facts: Facts): Row[] {
  return [
    ...checkLocalCloud(facts.localCloud),
    checkAppId(facts.client),
    checkCloudEnv(facts.client, facts.envId),
    checkPictures(facts.client, facts.goods),
    ...checkVariables(facts),
    ...checkMerchant(facts),
    checkReconcileTimer(facts.functions),
    checkCollections(facts.collections),
    checkBuilds(facts.built),
    ...(facts.target === 'tcb' || facts.envId ? [checkManifest(facts.built, facts.manifest, facts.envId)] : []),
    ...checkHealth(facts.health, facts.built),
  ]
}

/** A health answer (`{ ok, data: { build, payMode, config } }`), or why it is not one. */
export function parseHealth(raw: unknown): HealthAnswer | string {
  const answer = raw as { ok?: unknown; data?: { build?: unknown; payMode?: unknown; config?: unknown }; error?: { code?: unknown } } | null
  if (!answer || typeof answer !== 'object') return 'no answer'
  if (answer.ok !== true) return `answered ${String(answer.error?.code ?? 'something else')} instead of its health`
  const { build, payMode, config } = answer.data ?? {}
  if (typeof build !== 'string' || typeof payMode !== 'string') return 'a health answer without build or payMode'
  if (config === 'ok') return { build, payMode, problems: [] }
  const problems = (config as { problems?: unknown } | null)?.problems
  if (Array.isArray(problems) && problems.every((p) => typeof p === 'string')) return { build, payMode, problems: problems as string[] }
  return 'a health answer without config'
}

const SYMBOL: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!' }

/** One table: check, status, detail (and how to fix). */
export function renderTable(rows: readonly Row[]): string {
  const width = Math.max('check'.length, ...rows.map((r) => r.check.length))
  const lines = [`${'check'.padEnd(width)}  status  detail / how to fix`, `${'-'.repeat(width)}  ------  ${'-'.repeat(20)}`]
  for (const r of rows) lines.push(`${r.check.padEnd(width)}  ${SYMBOL[r.status].padEnd(6)}  ${r.detail}`)
  const count = (status: Status): number => rows.filter((r) => r.status === status).length
  lines.push('', `${count('pass')} ✓, ${count('fail')} ✗, ${count('warn')} !`)
  return lines.join('\n')
}

/** Non-zero on any failure; warnings do not fail. */
export const exitCodeOf = (rows: readonly Row[]): number => (rows.some((r) => r.status === 'fail') ? 1 : 0)
