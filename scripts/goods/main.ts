import { readCatalogue } from './catalogue'
import { importGoods, summary, type GoodsTarget } from './importer'

// npm run goods -- import <file.json> [--target local [--url http://127.0.0.1:8787] | --target <envId>] [--dry-run]
// (docs/catalogue.md). Exit code 0 when every entry was imported (or, dry, would be), 1 when the
// file or an entry is refused or the target fails, 2 for a wrong command line.

const USAGE = 'usage: npm run goods -- import <file.json> [--target local [--url http://127.0.0.1:8787] | --target <envId>] [--dry-run]'
export const DEFAULT_LOCAL_URL = 'http://127.0.0.1:8787'
const ENV_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/

export type Args = { file: string; target: 'local' | { envId: string }; url: string; dryRun: boolean }

export function parseArgs(argv: readonly string[]): { ok: true; args: Args } | { ok: false; problem: string } {
  const [command, ...rest] = argv
  if (command !== 'import') return { ok: false, problem: USAGE }
  const files: string[] = []
  let target = 'local'
  let url: string | undefined = DEFAULT_LOCAL_URL
  let urlGiven = false
  let dryRun = false
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === '--target' || arg.startsWith('--target=')) target = (arg === '--target' ? rest[++i] : arg.slice('--target='.length)) ?? ''
    else if (arg === '--url' || arg.startsWith('--url=')) {
      url = arg === '--url' ? rest[++i] : arg.slice('--url='.length)
      urlGiven = true
    } else if (arg === '--dry-run') dryRun = true
    else if (arg.startsWith('-')) return { ok: false, problem: `unknown option ${arg}\n${USAGE}` }
    else files.push(arg)
  }
  if (files.length !== 1) return { ok: false, problem: `name one catalogue file\n${USAGE}` }
  if (target !== 'local' && !ENV_ID.test(target)) return { ok: false, problem: `--target is local or an environment id\n${USAGE}` }
  if (!url || !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(url))
    return { ok: false, problem: `--url is the local cloud's loopback address, like ${DEFAULT_LOCAL_URL}` }
  if (target !== 'local' && urlGiven) return { ok: false, problem: `--url is for --target local\n${USAGE}` }
  return { ok: true, args: { file: files[0]!, target: target === 'local' ? 'local' : { envId: target }, url, dryRun } }
}

export type Io = { print(line: string): void; error(line: string): void }

/** The whole command; `connect` reaches the target (sdk.ts), replaced only to count calls. */
export async function run(argv: readonly string[], io: Io, connect: (args: Args) => Promise<GoodsTarget> = defaultConnect): Promise<number> {
  const parsed = parseArgs(argv)
  if (!parsed.ok) {
    io.error(parsed.problem)
    return 2
  }
  const { args } = parsed
  const catalogue = readCatalogue(args.file)
  if (!catalogue.ok) {
    if (catalogue.fatal) io.error(`${args.file}: ${catalogue.fatal}`)
    for (const r of catalogue.refused) io.error(`${args.file}:${r.line}: refused entry ${r.entry}${r.id ? ` (${r.id})` : ''}: ${r.reason}`)
    io.error(`nothing was written: fix the ${catalogue.refused.length || 'file'} refused ${catalogue.refused.length === 1 ? 'entry' : 'entries'} and run again`)
    return 1
  }
  let target: GoodsTarget
  try {
    target = await connect(args)
  } catch (error) {
    io.error(`cannot reach the target: ${(error as Error).message}`)
    return 1
  }
  try {
    const report = await importGoods(target, catalogue.goods, args.dryRun)
    for (const r of report.results) io.print(`${args.file}:${r.line}: ${r.id} ${args.dryRun ? `would be ${r.outcome}` : r.outcome}`)
    io.print(summary(report))
    return 0
  } catch (error) {
    const e = error as { message?: unknown; errMsg?: unknown }
    io.error(`import failed part way (goods before the failing one may already be written; running again is safe): ${String(e.errMsg ?? e.message ?? error)}`)
    return 1
  }
}

async function defaultConnect(args: Args): Promise<GoodsTarget> {
  const { cloudTarget, localSdk, realSdk } = await import('./sdk')
  if (args.target !== 'local') return cloudTarget(realSdk(args.target.envId, process.env))
  const health = await fetch(`${args.url}/healthz`).catch(() => undefined)
  const body = (await health?.json().catch(() => undefined)) as { env?: unknown } | undefined
  if (!health?.ok || typeof body?.env !== 'string') throw new Error(`no local cloud answers at ${args.url} (npm run start:cloud)`)
  return cloudTarget(localSdk(args.url, body.env))
}

if (require.main === module) {
  run(process.argv.slice(2), { print: (line) => console.log(line), error: (line) => console.error(line) }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    },
  )
}
