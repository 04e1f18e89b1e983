import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { cloudbaserc, type CloudbaseRc } from './cloudbaserc'
import { parseEnvFile } from './envFile'
import { parseFunctionConfig, type ConfigResult } from './functionConfig'
import { folderHash, readBuildInfo } from './hash'
import { manifestPath, readManifest, writeManifest } from './manifest'
import { planDeploy, type BuiltFunction, type Plan, type Selection } from './plan'
import { tcbDeployed, type TcbRunner } from './tcb'
import { redactor, shown, type Values } from './variables'

// `npm run deploy`: build, plan everything, refuse on any problem, then deploy function by
// function with `tcb fn deploy <name> -e <envId> --force`, recording each success in
// deploy/<envId>.json as it happens. docs/deploy.md explains the whole flow and its sources.

export type DeployOptions = {
  /** The repository: cloud/functions, dist/cloudfunctions, .env.<envId>, deploy/, cloudbaserc.json. */
  root: string
  envId: string
  selection: Selection
  dryRun: boolean
  /** The shell's environment; `.env.<envId>` wins over it. */
  processEnv: Values
  /** Bundles the named functions into <root>/dist/cloudfunctions (scripts/build-functions.ts). */
  build: (names: readonly string[]) => Promise<void>
  tcb: TcbRunner
  now: () => Date
  /** Every line shown to the operator (already redacted). */
  print: (line: string) => void
}

export type DeployResult = { ok: boolean; deployed: string[] }

export const FUNCTION_ROOT = 'dist/cloudfunctions'
export const ENV_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

const rel = (root: string, file: string): string => path.relative(root, file).split(path.sep).join('/')

/** The functions of `root`/cloud/functions (folders with an index.ts), sorted. */
export async function sourceFunctions(root: string): Promise<string[]> {
  const dir = path.join(root, 'cloud', 'functions')
  const entries = await fs.readdir(dir, { withFileTypes: true })
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort()
}

/** A built folder as the deploy sees it; its build.json must match its files (a folder edited after the build is not deployed). */
export async function readBuilt(root: string, name: string): Promise<BuiltFunction> {
  const dir = path.join(root, FUNCTION_ROOT, name)
  const recorded = await readBuildInfo(dir)
  const actual = await folderHash(dir)
  let config: ConfigResult
  try {
    config = parseFunctionConfig(JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')))
  } catch (error) {
    config = { ok: false, problems: [`unreadable (${(error as Error).message})`] }
  }
  if (recorded !== actual) {
    const problem = `${rel(root, dir)}/build.json ${recorded ? 'does not match the folder' : 'is missing'}: rebuild (npm run build:functions)`
    config = { ok: false, problems: [...(config.ok ? [] : config.problems), problem] }
  }
  return { name, hash: actual, config }
}

/** `.env.<envId>` over the shell's environment; a malformed file is a problem, a missing one is fine (CI passes secrets in the environment). */
async function readValues(root: string, envId: string, processEnv: Values): Promise<{ values: Values; problems: string[]; source: string }> {
  const file = path.join(root, `.env.${envId}`)
  if (!existsSync(file)) return { values: processEnv, problems: [], source: `the environment (no .env.${envId})` }
  const parsed = parseEnvFile(await fs.readFile(file, 'utf8'), `.env.${envId}`)
  if (!parsed.ok) return { values: processEnv, problems: parsed.problems, source: `.env.${envId}` }
  return { values: { ...processEnv, ...parsed.values }, problems: [], source: `.env.${envId} over the environment` }
}

function describe(plan: Plan, print: (line: string) => void): void {
  for (const fn of plan.functions) {
    const { timeout, triggers } = fn.config
    const timers = triggers.map((t) => `timer ${t.name} "${t.config}"`).join(', ')
    print(`  ${fn.name} (${fn.reason})`)
    print(`    build ${fn.hash.slice(0, 12)}…, timeout ${timeout} s${timers ? `, ${timers}` : ''}`)
    const variables = Object.entries(fn.variables)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => shown(name, value))
    print(
      variables.length > 0
        ? `    variables (replace all of its online ones): ${variables.join(' ')}`
        : '    variables: none (tcb leaves its online variables as they are)',
    )
    for (const warning of fn.warnings) print(`    warning: ${warning}`)
  }
  if (plan.unchanged.length > 0) print(`  unchanged, not deployed: ${plan.unchanged.join(', ')}`)
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const { root, envId, selection } = options
  const fail = (lines: string[]): DeployResult => {
    for (const line of lines) options.print(line)
    return { ok: false, deployed: [] }
  }
  if (!ENV_ID.test(envId)) return fail([`deploy: "${envId}" is not an environment id (letters, digits, - and _)`])

  const known = await sourceFunctions(root)
  const unknown = selection.kind === 'named' ? selection.names.filter((name) => !known.includes(name)) : []
  if (unknown.length > 0) return fail([`deploy: no such function: ${unknown.join(', ')} (known: ${known.join(', ')})`])
  // --changed compares every function's build with the manifest: all of them are built.
  const names = selection.kind === 'named' ? [...new Set(selection.names)].sort() : known
  await options.build(names)
  const built = await Promise.all(names.map((name) => readBuilt(root, name)))

  const manifestFile = manifestPath(root, envId)
  const manifestName = rel(root, manifestFile)
  const manifest = await readManifest(manifestFile)
  const { values, problems: valueProblems, source } = await readValues(root, envId, options.processEnv)
  const plan = planDeploy({ envId, target: 'tcb', selection, built, manifest: manifest.ok ? manifest.manifest : {}, manifestName, values })
  const problems = [...(manifest.ok ? [] : [manifest.problem]), ...valueProblems, ...plan.problems]

  // Every value of every variable any function may get is masked wherever it would be printed.
  const redact = redactor(Object.fromEntries(plan.functions.flatMap((fn) => Object.entries(fn.variables))))
  const print = (line: string): void => options.print(redact(line))

  if (problems.length > 0) {
    print(`deploy to ${envId}: refused, nothing deployed. Fix every problem below (values from ${source}):`)
    for (const problem of problems) print(`  ${problem}`)
    return { ok: false, deployed: [] }
  }
  if (plan.functions.length === 0) {
    print(`deploy to ${envId}: nothing to deploy: every build matches ${manifestName}`)
    return { ok: true, deployed: [] }
  }

  const rc = cloudbaserc(
    envId,
    `./${FUNCTION_ROOT}`,
    plan.functions.map((fn) => ({ name: fn.name, timeout: fn.config.timeout, triggers: fn.config.triggers, variables: Object.keys(fn.variables) })),
  )
  const commands = plan.functions.map((fn) => ['fn', 'deploy', fn.name, '-e', envId, '--force'])
  print(`deploy to ${envId}${options.dryRun ? ' (dry run: nothing is written or deployed)' : ''}: ${plan.functions.length} function(s), values from ${source}`)
  describe(plan, print)

  if (options.dryRun) {
    print('cloudbaserc.json it would write:')
    for (const line of JSON.stringify(rc, null, 2).split('\n')) print(`  ${line}`)
    print('then run, one by one, stopping at the first failure:')
    for (const args of commands) print(`  tcb ${args.join(' ')}`)
    return { ok: true, deployed: [] }
  }
  return run(options, plan, rc, commands, manifest.ok ? manifest.manifest : {}, manifestFile, print)
}

async function run(
  options: DeployOptions,
  plan: Plan,
  rc: CloudbaseRc,
  commands: string[][],
  manifest: Record<string, { hash: string; deployedAt: string }>,
  manifestFile: string,
  print: (line: string) => void,
): Promise<DeployResult> {
  const { root } = options
  await fs.writeFile(path.join(root, 'cloudbaserc.json'), `${JSON.stringify(rc, null, 2)}\n`)
  // tcb fills {{env.X}} from its own environment first: every templated variable is set there.
  const env = Object.fromEntries(plan.functions.flatMap((fn) => Object.entries(fn.variables)))
  const deployed: string[] = []
  const current = { ...manifest }
  for (const [i, fn] of plan.functions.entries()) {
    const args = commands[i]!
    print(`$ tcb ${args.join(' ')}`)
    let ok = false
    let why = ''
    try {
      const result = await options.tcb(args, { cwd: root, env, onLine: (line) => print(`  | ${line}`) })
      ok = tcbDeployed(fn.name, result)
      why = result.code !== 0 ? `tcb exited with ${result.code}` : 'tcb exited 0 without reporting the function deployed'
    } catch (error) {
      why = `tcb could not run: ${(error as Error).message}`
    }
    if (!ok) {
      const rest = plan.functions.slice(i + 1).map((f) => f.name)
      print(`deploy to ${plan.envId}: FAILED at ${fn.name} (${why}).`)
      print(`  deployed: ${deployed.length > 0 ? deployed.join(', ') : 'none'}`)
      print(`  failed: ${fn.name} (its online code and configuration are whatever tcb left; deploy it again)`)
      print(`  not attempted: ${rest.length > 0 ? rest.join(', ') : 'none'}`)
      return { ok: false, deployed }
    }
    deployed.push(fn.name)
    current[fn.name] = { hash: fn.hash, deployedAt: options.now().toISOString() }
    await writeManifest(manifestFile, current)
  }
  print(`deploy to ${plan.envId}: deployed ${deployed.join(', ')}; ${rel(root, manifestFile)} updated (commit it)`)
  return { ok: true, deployed }
}
