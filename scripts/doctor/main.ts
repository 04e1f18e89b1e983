import path from 'node:path'
import { ENV_ID } from '../deploy/deploy'
import { DEFAULT_LOCAL_URL } from '../deploy/local'
import { redactor } from '../deploy/variables'
import { exitCodeOf, renderTable, runChecks, type Facts, type Row } from './checks'
import {
  gatherBuilt,
  gatherClient,
  gatherCollections,
  gatherFunctions,
  gatherGoods,
  gatherHealth,
  gatherLocalCloud,
  gatherManifest,
  gatherValues,
  httpHealthProbe,
  staffOpenid,
  type HealthProbe,
} from './gather'

// npm run doctor [-- --env <envId>] [--target local [--url http://127.0.0.1:8787] [--staff <OPENID>]]
// Checks a deployment's configuration before going live and prints one table (docs/operations.md).
// Exit code 1 on any ✗, 0 otherwise (! never fails), 2 for a usage error.

const USAGE = 'usage: npm run doctor [-- --env <envId>] [--target local [--url http://127.0.0.1:8787] [--staff <OPENID>]]'
const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/

export type Args = { envId: string | undefined; target: 'tcb' | 'local'; url: string; staff: string | undefined }

export function parseArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; args: Args } | { ok: false; problem: string } {
  let envId = env['CLOUDBASE_ENV_ID'] || undefined
  let target: string | undefined = 'tcb'
  let url: string | undefined = DEFAULT_LOCAL_URL
  let urlGiven = false
  let staff: string | undefined
  const valueOf = (arg: string, name: string, i: number): [string | undefined, number] =>
    arg === name ? [argv[i + 1], i + 1] : [arg.slice(name.length + 1), i]
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const option = ['--env', '--target', '--url', '--staff'].find((name) => arg === name || arg.startsWith(`${name}=`))
    if (!option) return { ok: false, problem: `unknown argument ${arg}\n${USAGE}` }
    const [value, next] = valueOf(arg, option, i)
    i = next
    if (!value || value.startsWith('-')) return { ok: false, problem: `${option} needs a value\n${USAGE}` }
    if (option === '--env') envId = value
    else if (option === '--target') target = value
    else if (option === '--staff') staff = value
    else {
      url = value
      urlGiven = true
    }
  }
  if (target !== 'tcb' && target !== 'local') return { ok: false, problem: `--target is tcb (the default) or local\n${USAGE}` }
  if (envId !== undefined && !ENV_ID.test(envId)) return { ok: false, problem: `--env ${envId} is not an environment id\n${USAGE}` }
  if (target === 'tcb' && (urlGiven || staff)) return { ok: false, problem: `--url and --staff are for --target local\n${USAGE}` }
  if (target === 'tcb' && !envId) return { ok: false, problem: `which environment? --env <envId> or CLOUDBASE_ENV_ID\n${USAGE}` }
  if (!LOOPBACK_URL.test(url!)) return { ok: false, problem: `--url must be the local cloud on this machine (http://127.0.0.1:<port>)\n${USAGE}` }
  return { ok: true, args: { envId, target, url: url!.replace(/\/$/, ''), staff } }
}

export type DoctorOptions = {
  root: string
  args: Args
  /** The shell's environment (build settings, and values under `.env.<envId>` / `.env`). */
  env: Readonly<Record<string, string | undefined>>
  /** How to ask a local function for its health; by default over HTTP as the staff OPENID. */
  probe?: HealthProbe
}

/** Gathers every fact, then runs the checks: no check does I/O. */
export async function gatherFacts(options: DoctorOptions): Promise<Facts> {
  const { root, args, env } = options
  const localCloud = await gatherLocalCloud(args.target === 'local' ? args.url : null)
  // Nothing more to ask a local cloud that does not answer: the one failing row says so.
  const local = localCloud?.reachable ? args.url : null
  const functions = await gatherFunctions(root)
  const names = functions.map((fn) => fn.name)
  const values = await gatherValues(root, env, args.target, args.envId, args.url)
  const staff = args.staff ?? staffOpenid(values.values)
  const probe: HealthProbe | { why: string } =
    options.probe ??
    (local && staff
      ? httpHealthProbe(local, staff)
      : {
          why: "the local cloud's function endpoint always names a caller: put a staff OPENID in ADMIN_OPENIDS (.env) and restart it, or pass --staff <OPENID>",
        })
  return {
    target: args.target,
    envId: args.envId,
    client: await gatherClient(root, env),
    values,
    functions,
    built: await gatherBuilt(root, names),
    manifest: await gatherManifest(root, args.envId),
    goods: await gatherGoods(local),
    collections: await gatherCollections(local),
    localCloud,
    health: localCloud === null ? null : local ? await gatherHealth(names, probe) : { checked: false, why: 'no local cloud answers' },
  }
}

/** Never printed, even if a message echoed one: the values the deploy masks (keys, certificate, merchant numbers, OPENIDs). */
const SECRET_NAMES = ['WXPAY_KEY', 'WXPAY_CERT_P12_BASE64', 'WXPAY_MCH_ID', 'WXPAY_SUB_MCH_ID', 'ADMIN_OPENIDS']

export async function runDoctor(options: DoctorOptions): Promise<{ rows: Row[]; table: string; code: number }> {
  const facts = await gatherFacts(options)
  const rows = runChecks(facts)
  const secrets = Object.fromEntries(SECRET_NAMES.map((name) => [name, facts.values.values[name]]))
  return { rows, table: redactor(secrets)(renderTable(rows)), code: exitCodeOf(rows) }
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2), process.env)
  if (!parsed.ok) {
    console.error(parsed.problem)
    return 2
  }
  const { args } = parsed
  const where = args.target === 'local' ? `the local cloud at ${args.url}` : `cloud environment ${args.envId}`
  const { table, code } = await runDoctor({ root: path.resolve(__dirname, '..', '..'), args, env: process.env })
  console.log(`doctor: ${where}\n\n${table}`)
  return code
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
