/**
 * README's "Deploying to WeChat": every command in its ```sh blocks is run here, covered by the
 * test that runs it (and that test's text is checked to still run it), or named as needing
 * Tencent's cloud, with the reason. A command that is none of these fails the test, and so does
 * an entry here that the guide no longer has. Cloud tier (RUNS_CLIS in scripts/test-tiers.ts): it
 * runs the deploy, doctor and tcb CLIs against dist/cloudfunctions, built before the tier runs; no
 * local cloud, no network (the doctor and the deploy's dry run work offline).
 *
 * Run: npm run test:quick -- readme-deploy
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { clientSettings, RELEASE_MODE } from '../config/clientEnv'
import { parseEnvFile } from './deploy/envFile'
import { readBuildInfo } from './deploy/hash'
import { manifestPath, writeManifest, type Manifest } from './deploy/manifest'
import { readCatalogue } from './goods/catalogue'
import { parseArgs as parseGoodsArgs } from './goods/main'

const ROOT = path.resolve(__dirname, '..')
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const FUNCTIONS = readdirSync(path.join(ROOT, 'cloud', 'functions'))
  .filter((name) => statSync(path.join(ROOT, 'cloud', 'functions', name)).isDirectory())
  .sort()

/** The guide's example environment and AppID; commands run here get an environment of their own. */
const ENV = 'prod-1a2b3c'
const APP_ID = 'wx0123456789abcdef'
const TEST_ENV = `readme-guide-${process.pid}`

const DOCTOR = `CLOUD_ENV=${ENV} TARO_APP_ID=${APP_ID} npm run doctor -- --env ${ENV}`
const DRY_RUN = `npm run deploy -- --all --env ${ENV} --dry-run`
const DEPLOY = `npm run deploy -- --all --env ${ENV}`
const IMPORT_DRY_RUN = `npm run goods -- import catalogue/sample.json --target ${ENV} --dry-run`
const IMPORT = `npm run goods -- import catalogue/sample.json --target ${ENV}`
const RELEASE_BUILD = `CLOUD_ENV=${ENV} TARO_APP_ID=${APP_ID} npm run build:weapp -- --mode release`
const LOGIN = 'npx tcb login'
const LOGIN_CI = 'npx tcb login --apiKeyId "$TCB_SECRET_ID" --apiKey "$TCB_SECRET_KEY"'
const TIMER = `npx tcb fn detail reconcile -e ${ENV}`
const HEALTH = `for fn in ${FUNCTIONS.join(' ')}; do npx tcb fn invoke "$fn" --params '{"$health":true}' -e ${ENV}; done`

type Account =
  | { kind: 'run'; how: string }
  | { kind: 'covered'; by: string; why: string }
  | { kind: 'cloud-only'; why: string; tcb?: { subcommand: string[]; command: string } }

/** Every command the guide may contain, and how it is accounted for. */
export const GUIDE: Readonly<Record<string, Account>> = {
  [DOCTOR]: { kind: 'run', how: 'offline with the example .env values: before a deploy, and after one recorded in a temporary manifest' },
  [DRY_RUN]: { kind: 'run', how: 'as written, with the example .env values in the environment' },
  [DEPLOY]: {
    kind: 'cloud-only',
    why: 'tcb fn deploy uploads to Tencent Cloud. Its plan and checks are the dry-run line (this line plus --dry-run), run here; the deploy itself runs against a recording tcb in scripts/deploy/deploy.test.ts',
  },
  [IMPORT_DRY_RUN]: {
    kind: 'cloud-only',
    why: 'reads a real environment with wx-server-sdk (untested: docs/catalogue.md). Its arguments and the sample catalogue are checked here; the same import against a local cloud is scripts/goods/import.test.ts',
  },
  [IMPORT]: {
    kind: 'cloud-only',
    why: 'writes a real environment with wx-server-sdk (untested: docs/catalogue.md). Its arguments and the sample catalogue are checked here; the same import against a local cloud is scripts/goods/import.test.ts',
  },
  [RELEASE_BUILD]: {
    kind: 'covered',
    by: 'scripts/weapp/client-config.test.ts',
    why: 'a whole release build (browser tier, minutes); the guide’s values are also put through the build’s own rules here',
  },
  [LOGIN]: { kind: 'cloud-only', why: 'logs in to Tencent Cloud in a browser', tcb: { subcommand: ['login'], command: LOGIN } },
  [LOGIN_CI]: { kind: 'cloud-only', why: 'logs in to Tencent Cloud with an API key pair', tcb: { subcommand: ['login'], command: LOGIN_CI } },
  [TIMER]: {
    kind: 'cloud-only',
    why: 'asks Tencent Cloud about a deployed function; the trigger it must list is checked in the dry run',
    tcb: { subcommand: ['fn', 'detail'], command: TIMER },
  },
  [HEALTH]: {
    kind: 'cloud-only',
    why: 'invokes deployed functions; locally the same $health answers are checked by scripts/doctor/doctor.cloud.test.ts and cloud/functions/health.test.ts',
    tcb: { subcommand: ['fn', 'invoke'], command: `npx tcb fn invoke createOrder --params '{"$health":true}' -e ${ENV}` },
  },
}

/** The README from `## <heading>` to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  assert.ok(start >= 0, `README has a "## ${heading}" section`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

type Block = { lang: string; body: string }

/** Fenced blocks, also indented ones in list items (the indentation is removed). */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  for (const match of markdown.matchAll(/^([ \t]*)```(\S*)[ \t]*\n([\s\S]*?)^\1```[ \t]*$/gm)) {
    const indent = match[1]!.length
    blocks.push({
      lang: match[2]!,
      body: match[3]!
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => line.slice(indent))
        .join('\n'),
    })
  }
  return blocks
}

/** One command a line, without its trailing `# comment`. */
function commandsOf(body: string): string[] {
  return body
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

const GUIDE_TEXT = section(README, 'Deploying to WeChat')
const BLOCKS = fencedBlocks(GUIDE_TEXT)
const COMMANDS = BLOCKS.filter((b) => b.lang === 'sh').flatMap((b) => commandsOf(b.body))

/** The example `.env.<envId>` of the guide (its one ini block). */
function exampleValues(): Record<string, string> {
  const ini = BLOCKS.filter((b) => b.lang === 'ini')
  assert.equal(ini.length, 1, 'the guide has one example env file')
  const parsed = parseEnvFile(ini[0]!.body, `.env.${ENV}`)
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'))
  return parsed.values
}

/** Leading `NAME=value` words are the command's environment; the rest its arguments (no quoting needed by the commands run). */
function split(command: string): { vars: Record<string, string>; argv: string[] } {
  const words = command.split(/\s+/)
  const vars: Record<string, string> = {}
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=')
    vars[name!] = value.join('=')
  }
  return { vars, argv: words }
}

/** The shell without the developer's own client settings and pay values, plus these. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^(TARO_APP_ID|CLOUD_ENV|ASSET_BASE|CLOUDBASE_ENV_ID|PAY_MODE|WXPAY_|ADMIN_OPENIDS|RECONCILE_)/.test(key)) delete env[key]
  }
  return { ...env, ...extra }
}

/** Runs a guide command as written, in an environment of its own (`prod-1a2b3c` → TEST_ENV). */
function runGuideCommand(command: string): { status: number | null; out: string } {
  const { vars, argv } = split(command.split(ENV).join(TEST_ENV))
  assert.equal(argv[0], 'npm', command)
  const result = spawnSync('npm', ['--silent', ...argv.slice(1)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: cleanEnv({ ...exampleValues(), ...vars }),
    timeout: 300_000,
  })
  return { status: result.status, out: result.stdout + result.stderr }
}

describe('the guide’s commands', () => {
  test('every command is run, covered or cloud-only, and every entry here is still in the guide', () => {
    assert.ok(COMMANDS.length >= 5, `commands found: ${COMMANDS.join(' | ')}`)
    const unknown = COMMANDS.filter((c) => !(c in GUIDE))
    assert.deepEqual(unknown, [], 'commands in README with no entry in scripts/readme-deploy.test.ts GUIDE')
    const gone = Object.keys(GUIDE).filter((c) => !COMMANDS.includes(c))
    assert.deepEqual(gone, [], 'entries in GUIDE the README no longer has')
  })

  test('commands live in sh blocks only: the other blocks are the example env file and the security rule', () => {
    assert.deepEqual(
      BLOCKS.map((b) => b.lang).filter((lang) => lang !== 'sh'),
      ['json', 'ini'],
    )
    const rule = JSON.parse(BLOCKS.find((b) => b.lang === 'json')!.body) as unknown
    assert.deepEqual(rule, { read: false, write: false })
  })

  test('the security rule’s premise: the app never opens the database itself', () => {
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(file)
        else if (/\.[jt]sx?$/.test(entry.name) && /\bdatabase\s*\(/.test(readFileSync(file, 'utf8'))) offenders.push(path.relative(ROOT, file))
      }
    }
    walk(path.join(ROOT, 'src'))
    assert.deepEqual(offenders, [], 'src/ calls database(): the collections could not all deny clients')
  })
})

describe('run here', () => {
  test(`${DRY_RUN}: the plan of every function with reconcile's timer, secrets masked, nothing written`, () => {
    assert.equal(`${DEPLOY} --dry-run`, DRY_RUN, 'the deploy line is the dry-run line without --dry-run')
    const values = exampleValues()
    const rc = path.join(ROOT, 'cloudbaserc.json')
    const rcBefore = existsSync(rc) ? statSync(rc).mtimeMs : null
    const { status, out } = runGuideCommand(DRY_RUN)
    assert.equal(status, 0, out)
    assert.match(out, new RegExp(`deploy to ${TEST_ENV} \\(dry run: nothing is written or deployed\\): ${FUNCTIONS.length} function\\(s\\)`))
    for (const name of FUNCTIONS) {
      assert.match(out, new RegExp(`^  ${name} \\(all\\)$`, 'm'))
      assert.match(out, new RegExp(`^  tcb fn deploy ${name} -e ${TEST_ENV} --force$`, 'm'))
    }
    // Step 8: the deploy creates reconcile's timer with the function.
    assert.match(out, /timer reconcileEveryTenMinutes "0 \*\/10 \* \* \* \* \*"/)
    for (const [name, value] of Object.entries(values)) {
      if (name !== 'PAY_MODE') assert.equal(out.includes(value), false, `${name}'s value is masked`)
    }
    assert.equal(existsSync(manifestPath(ROOT, TEST_ENV)), false, 'no manifest written')
    assert.equal(existsSync(rc) ? statSync(rc).mtimeMs : null, rcBefore, 'cloudbaserc.json untouched')
  })

  test(`${DOCTOR}: before the deploy only the manifest fails; after it nothing does`, async () => {
    const before = runGuideCommand(DOCTOR)
    assert.equal(before.status, 1, before.out)
    const failing = before.out.split('\n').filter((line) => / ✗ /.test(line))
    assert.equal(failing.length, 1, before.out)
    assert.match(failing[0]!, new RegExp(`^deploy manifest +✗ +deploy/${TEST_ENV}\\.json: never deployed: ${FUNCTIONS.join(', ')}`))
    // The rows the guide says are `!` here, and the ones it says must pass.
    for (const check of ['collections', 'goods pictures']) assert.match(before.out, new RegExp(`^${check} +! `, 'm'))
    for (const check of ['AppID', 'client cloud environment', 'reconcile timer', 'builds', ...FUNCTIONS.map((n) => `variables: ${n}`)]) {
      assert.match(before.out, new RegExp(`^${check} +✓ `, 'm'))
    }

    // "Run the doctor of step 6 again: no ✗ now" — with the manifest a deploy of these builds writes.
    const manifest: Manifest = {}
    for (const name of FUNCTIONS) {
      const hash = await readBuildInfo(path.join(ROOT, 'dist', 'cloudfunctions', name))
      assert.ok(hash, `${name} is built`)
      manifest[name] = { hash, deployedAt: new Date().toISOString() }
    }
    const file = manifestPath(ROOT, TEST_ENV)
    try {
      await writeManifest(file, manifest)
      const after = runGuideCommand(DOCTOR)
      assert.equal(after.status, 0, after.out)
      assert.match(after.out, new RegExp(`^deploy manifest +✓ +deploy/${TEST_ENV}\\.json matches all ${FUNCTIONS.length} builds`, 'm'))
      assert.match(after.out, /\d+ ✓, 0 ✗, 2 !/)
    } finally {
      rmSync(file, { force: true })
    }
  })
})

describe('covered by another test', () => {
  test(`${RELEASE_BUILD}: scripts/weapp/client-config.test.ts runs that build; its values pass the build's rules`, () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    assert.equal(scripts['build:weapp'], 'taro build --type weapp', 'npm run build:weapp -- --mode release is taro build --type weapp --mode release')
    const covering = readFileSync(path.join(ROOT, 'scripts', 'weapp', 'client-config.test.ts'), 'utf8')
    assert.ok(covering.includes("['build', '--type', 'weapp', '--mode', 'release']"), 'client-config.test.ts runs taro build --type weapp --mode release')
    assert.match(covering, /releaseBuild\(\{ CLOUD_ENV, ASSET_BASE, TARO_APP_ID, TARO_OUTPUT_ROOT: OUT \}\)/)

    // The guide builds without ASSET_BASE (its pictures are cloud:// after the import): a warning, no error.
    const { vars, argv } = split(RELEASE_BUILD)
    assert.deepEqual(argv, ['npm', 'run', 'build:weapp', '--', '--mode', RELEASE_MODE])
    const settings = clientSettings({
      env: { TARO_ENV: 'weapp', NODE_ENV: 'production', ...vars },
      mode: RELEASE_MODE,
      templateAppId: 'touristappid',
      root: ROOT,
    })
    assert.deepEqual(settings.errors, [])
    assert.equal(settings.release, true)
    assert.equal(settings.appId, APP_ID)
    assert.equal(JSON.parse(settings.defineConstants.CLOUD_ENV), ENV)
    assert.ok(
      settings.warnings.some((w) => w.includes('ASSET_BASE')),
      'without ASSET_BASE the build warns',
    )
  })
})

describe('cloud-only', () => {
  test('the import: its arguments parse to the environment, the sample catalogue is valid, and the local import test runs that file', () => {
    for (const command of [IMPORT, IMPORT_DRY_RUN]) {
      const { argv } = split(command)
      assert.deepEqual(argv.slice(0, 4), ['npm', 'run', 'goods', '--'])
      const parsed = parseGoodsArgs(argv.slice(4))
      assert.ok(parsed.ok, command)
      assert.deepEqual(parsed.args.target, { envId: ENV })
      assert.equal(parsed.args.dryRun, command === IMPORT_DRY_RUN)
      assert.ok(readCatalogue(path.join(ROOT, parsed.args.file)).ok, `${parsed.args.file} is a valid catalogue`)
    }
    const local = readFileSync(path.join(ROOT, 'scripts', 'goods', 'import.test.ts'), 'utf8')
    assert.ok(local.includes("path.join(ROOT, 'catalogue', 'sample.json')"), 'import.test.ts imports catalogue/sample.json')
    assert.ok(local.includes("run(['import', file, '--target', 'local'"), 'import.test.ts runs the import command')
  })

  test('the health loop names every function and sends exactly the health event', () => {
    const loop = /^for fn in (.+); do (.+); done$/.exec(HEALTH)
    assert.ok(loop)
    assert.deepEqual(loop[1]!.split(' '), FUNCTIONS)
    const params = /--params '([^']*)'/.exec(loop[2]!)
    assert.deepEqual(JSON.parse(params![1]!), { $health: true })
  })

  test('every tcb command uses options the pinned CLI has', () => {
    const tcb = path.join(ROOT, 'node_modules', '.bin', 'tcb')
    for (const [line, account] of Object.entries(GUIDE)) {
      if (account.kind !== 'cloud-only' || !account.tcb) continue
      const { subcommand, command } = account.tcb
      assert.ok(command.startsWith(`npx tcb ${subcommand.join(' ')}`), line)
      const help = spawnSync(tcb, [...subcommand, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
      assert.equal(help.status, 0, help.stderr)
      for (const option of command.match(/(?<=\s)--?[A-Za-z][\w-]*/g) ?? []) {
        assert.ok(new RegExp(`(^|[\\s,])${option}\\b`).test(help.stdout), `tcb ${subcommand.join(' ')} has ${option}:\n${help.stdout}`)
      }
    }
  })
})
