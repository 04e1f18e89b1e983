import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

// Which tier each `*.test.ts` belongs to. Every test file is in exactly one tier (the first rule
// that matches); a file no rule matches fails the run instead of being skipped.

export const TIERS = ['unit', 'cloud', 'browser'] as const
export type Tier = (typeof TIERS)[number]
/** What a test needs built before it runs. */
export type Build = 'functions' | 'h5' | 'weapp'

type Rule = { tier: Tier; why: string; match: (rel: string, imports: readonly string[]) => boolean }

const under = (rel: string, ...dirs: string[]): boolean => dirs.some((dir) => rel.startsWith(dir))
const HARNESS = /(^|\/)testing\/harness$/
/**
 * Tests that run the project's CLIs as a developer would (`npm run deploy -- --all --dry-run`,
 * `npm run doctor`, the tcb CLI): they build every function into dist/cloudfunctions and read those
 * builds, ~10 s of CPU in a dozen processes. They run where the functions are built first.
 */
export const RUNS_CLIS: readonly string[] = ['scripts/deploy/readme-command.test.ts', 'scripts/readme-deploy.test.ts']

export const RULES: readonly Rule[] = [
  { tier: 'browser', why: 'under src/e2e/ or scripts/weapp/', match: (rel) => under(rel, 'src/e2e/', 'scripts/weapp/') },
  { tier: 'cloud', why: 'under cloud/local/ or cloud/functions/', match: (rel) => under(rel, 'cloud/local/', 'cloud/functions/') },
  { tier: 'cloud', why: 'imports the test harness (starts a local cloud)', match: (_rel, imports) => imports.some((spec) => HARNESS.test(spec)) },
  { tier: 'cloud', why: 'runs the deploy, doctor and tcb CLIs against dist/cloudfunctions (RUNS_CLIS)', match: (rel) => RUNS_CLIS.includes(rel) },
  { tier: 'unit', why: 'under cloud/payment/, src/ or scripts/', match: (rel) => under(rel, 'cloud/payment/', 'src/', 'scripts/') },
]

/** `rel` is the path from the repository root with `/` separators. */
export function tierOf(rel: string, imports: readonly string[]): Tier | null {
  return RULES.find((rule) => rule.match(rel, imports))?.tier ?? null
}

/** The builds a test of that tier runs against: the functions (through the harness), the H5 app (Chromium) or the mini program. */
export function buildsFor(rel: string, tier: Tier): Build[] {
  if (tier === 'unit') return []
  if (under(rel, 'src/e2e/')) return ['functions', 'h5']
  if (under(rel, 'scripts/weapp/')) return ['functions', 'weapp']
  return ['functions']
}

export function needsChromium(rel: string): boolean {
  return under(rel, 'src/e2e/')
}

/** Module specifiers a file loads at run time (`import type` is left out: it loads nothing). */
export function importsOf(source: string): string[] {
  const found: string[] = []
  const patterns = [/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm, /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g]
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!)
  return found
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.cjs', '/index.ts', '/index.tsx', '/index.js']

function resolveRelative(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec)
  if (/\.[cm]?[jt]sx?$/.test(spec) && existsSync(base)) return base
  for (const ext of EXTENSIONS) if (existsSync(base + ext)) return base + ext
  return null
}

/** Modules a unit test must not reach: they start a local cloud or a browser. */
export const FORBIDDEN_IN_UNIT: readonly string[] = ['cloud/local/testing/harness.ts', 'cloud/local/localcloud.ts', 'cloud/local/main.ts', 'playwright-core']

/**
 * The import chain from `file` to a module a unit test must not load, following relative
 * imports through the repository; null when there is none.
 */
export function forbiddenChain(root: string, file: string, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): string[] | null {
  const seen = new Set<string>()
  const walk = (current: string, chain: string[]): string[] | null => {
    if (seen.has(current)) return null
    seen.add(current)
    for (const spec of importsOf(read(current))) {
      if (FORBIDDEN_IN_UNIT.includes(spec)) return [...chain, spec]
      if (!spec.startsWith('.')) continue
      const target = resolveRelative(current, spec)
      if (!target || !target.startsWith(root + path.sep)) continue
      const rel = path.relative(root, target).split(path.sep).join('/')
      if (FORBIDDEN_IN_UNIT.includes(rel)) return [...chain, rel]
      const found = walk(target, [...chain, rel])
      if (found) return found
    }
    return null
  }
  return walk(file, [path.relative(root, file).split(path.sep).join('/')])
}

/** Folders that hold no tests of ours: dependencies, builds, reports, and hidden tool state (.git, .stryker-tmp-*, .cloud-data …). */
export const NOT_SEARCHED = new Set(['node_modules', 'dist', 'reports'])
const notSearched = (name: string): boolean => NOT_SEARCHED.has(name) || name.startsWith('.')

export function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && notSearched(entry.name)) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) findTests(full, out)
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(full)
  }
  return out
}

export type TestFile = { file: string; rel: string; tier: Tier; imports: string[] }
export type Classified = { files: TestFile[]; problems: string[] }

/** Every test file of the repository with its tier, and what is wrong with the classification. */
export function classify(root: string, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Classified {
  const files: TestFile[] = []
  const problems: string[] = []
  for (const file of findTests(root).sort()) {
    const rel = path.relative(root, file).split(path.sep).join('/')
    const imports = importsOf(read(file))
    const tier = tierOf(rel, imports)
    if (!tier) {
      problems.push(`${rel} matches no test tier (${RULES.map((r) => `${r.tier}: ${r.why}`).join('; ')}): move it or add a rule in scripts/test-tiers.ts`)
      continue
    }
    if (tier === 'unit') {
      const chain = forbiddenChain(root, file, read)
      if (chain) problems.push(`${rel} is a unit test but loads ${chain.at(-1)} (${chain.join(' → ')}): a unit test must not start a local cloud or a browser`)
    }
    files.push({ file, rel, tier, imports })
  }
  return { files, problems }
}

/**
 * Unit test files that need a process of their own (they run under `node --test`, one process
 * per file, like the cloud and browser tiers), with the reason. Every other unit file shares a
 * process with others (scripts/test-shard.ts), so it must leave process.env, globals, timers and
 * process listeners as it found them.
 */
export const ISOLATED: Readonly<Record<string, string>> = {}

/** Splits files into `count` groups of about equal work (`weight`), heaviest first onto the lightest group. */
export function partition<T extends { file: string }>(files: readonly T[], count: number, weight: (file: string) => number): T[][] {
  const groups = Array.from({ length: count }, () => ({ files: [] as T[], load: 0 }))
  const weighed = files.map((f) => ({ f, w: weight(f.file) })).sort((a, b) => b.w - a.w)
  for (const { f, w } of weighed) {
    const lightest = groups.reduce((min, g) => (g.load < min.load ? g : min))
    lightest.files.push(f)
    lightest.load += w
  }
  return groups.map((g) => g.files.sort((a, b) => a.file.localeCompare(b.file))).filter((g) => g.length > 0)
}
