import path from 'node:path'
import { buildFunctions } from '../build-functions'
import { deploy } from './deploy'
import { DEFAULT_LOCAL_URL, deployLocal } from './local'
import type { Selection } from './plan'
import { spawnTcb } from './tcb'

// npm run deploy -- <name…> | --changed | --all [--env <envId>] [--dry-run]
// npm run deploy -- <name…> | --all --target local [--url http://127.0.0.1:8787]
// (docs/deploy.md). Exit code 0 when everything planned was deployed (or, dry, would be).

const USAGE = [
  'usage: npm run deploy -- <name…> | --changed | --all [--env <envId>] [--dry-run]',
  '       npm run deploy -- <name…> | --all --target local [--url http://127.0.0.1:8787]',
].join('\n')

export type Args = { selection: Selection; envId: string | undefined; dryRun: boolean; target: 'tcb' | 'local'; url: string }

export function parseArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; args: Args } | { ok: false; problem: string } {
  const names: string[] = []
  let changed = false
  let all = false
  let dryRun = false
  let envId = env['CLOUDBASE_ENV_ID'] || undefined
  let target: string | undefined = 'tcb'
  let url: string | undefined = DEFAULT_LOCAL_URL
  let urlGiven = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--target' || arg.startsWith('--target=')) target = arg === '--target' ? argv[++i] : arg.slice('--target='.length)
    else if (arg === '--url' || arg.startsWith('--url=')) {
      url = arg === '--url' ? argv[++i] : arg.slice('--url='.length)
      urlGiven = true
    } else if (arg === '--changed') changed = true
    else if (arg === '--all') all = true
    else if (arg === '--dry-run') dryRun = true
    else if (arg === '--env' || arg.startsWith('--env=')) {
      envId = arg === '--env' ? argv[++i] : arg.slice('--env='.length)
      if (!envId || envId.startsWith('-')) return { ok: false, problem: `--env needs an environment id\n${USAGE}` }
    } else if (arg.startsWith('-')) return { ok: false, problem: `unknown option ${arg}\n${USAGE}` }
    else names.push(arg)
  }
  const kinds = [names.length > 0, changed, all].filter(Boolean).length
  if (kinds !== 1) return { ok: false, problem: `say which functions: names, --changed or --all (one of them)\n${USAGE}` }
  if (target !== 'tcb' && target !== 'local') return { ok: false, problem: `--target is tcb (the default) or local\n${USAGE}` }
  if (!url || url.startsWith('-')) return { ok: false, problem: `--url needs the local cloud's address\n${USAGE}` }
  if (target === 'local' && (changed || dryRun))
    return { ok: false, problem: `--target local takes names or --all (no manifest to compare, nothing to plan)\n${USAGE}` }
  if (target === 'tcb' && urlGiven) return { ok: false, problem: `--url is for --target local\n${USAGE}` }
  const selection: Selection = changed ? { kind: 'changed' } : all ? { kind: 'all' } : { kind: 'named', names }
  return { ok: true, args: { selection, envId, dryRun, target, url } }
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..')
  const parsed = parseArgs(process.argv.slice(2), process.env)
  if (!parsed.ok) {
    console.error(parsed.problem)
    return 2
  }
  const { selection, envId, dryRun, target, url } = parsed.args
  const build = async (names: readonly string[]): Promise<void> => {
    const built = await buildFunctions(names)
    console.log(`built ${built.map((b) => b.name).join(', ')} in ${path.join('dist', 'cloudfunctions')}`)
  }
  const print = (line: string): void => console.log(line)
  if (target === 'local') {
    const result = await deployLocal({ root, names: selection.kind === 'named' ? selection.names : [], url, build, print })
    return result.ok ? 0 : 1
  }
  if (!envId) {
    console.error(`deploy: which environment? --env <envId> or CLOUDBASE_ENV_ID\n${USAGE}`)
    return 2
  }
  const result = await deploy({
    root,
    envId,
    selection,
    dryRun,
    processEnv: process.env,
    build,
    tcb: spawnTcb(root),
    now: () => new Date(),
    print,
  })
  return result.ok ? 0 : 1
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
