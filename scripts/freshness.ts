import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Build } from './test-tiers'

// Tests must never run against a stale build: a build is stale when one of its outputs is
// missing or older than the newest of its sources.

export type Stamp = { path: string; mtimeMs: number }
export type Verdict = { stale: false } | { stale: true; reason: string }

/** The decision alone (mtimes in, verdict out); `outputs` with a null mtime are missing. */
export function staleness(newestSource: Stamp | null, outputs: ReadonlyArray<{ path: string; mtimeMs: number | null }>): Verdict {
  if (outputs.length === 0) return { stale: true, reason: 'nothing is built' }
  const missing = outputs.find((output) => output.mtimeMs === null)
  if (missing) return { stale: true, reason: `${missing.path} is missing` }
  if (!newestSource) return { stale: false }
  const oldest = outputs.reduce((a, b) => ((a.mtimeMs ?? 0) <= (b.mtimeMs ?? 0) ? a : b))
  if (newestSource.mtimeMs > (oldest.mtimeMs ?? 0)) return { stale: true, reason: `${newestSource.path} is newer than ${oldest.path}` }
  return { stale: false }
}

const IGNORED_DIRS = new Set(['node_modules', 'dist'])
const isTestOnly = (name: string): boolean => /\.test\.tsx?$/.test(name)

/** The newest file under `paths` (files or folders) but not under `skip`; tests are left out: they are not built. */
export function newestFile(root: string, paths: readonly string[], skip: readonly string[] = []): Stamp | null {
  let newest: Stamp | null = null
  const skipped = new Set(skip.map((s) => path.join(root, s)))
  const visit = (full: string): void => {
    if (!existsSync(full) || skipped.has(full)) return
    const stat = statSync(full)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(full)) if (!IGNORED_DIRS.has(entry)) visit(path.join(full, entry))
    } else if (!isTestOnly(full) && (!newest || stat.mtimeMs > newest.mtimeMs)) {
      newest = { path: path.relative(root, full), mtimeMs: stat.mtimeMs }
    }
  }
  for (const p of paths) visit(path.join(root, p))
  return newest
}

function stamp(root: string, rel: string): { path: string; mtimeMs: number | null } {
  const full = path.join(root, rel)
  return { path: rel, mtimeMs: existsSync(full) ? statSync(full).mtimeMs : null }
}

export type BuildSpec = { build: Build; script: string; sources: string[]; notSources: string[]; outputs: string[] }

/** What each build reads and writes; `outputs` are files every build rewrites. */
export function buildSpec(root: string, build: Build): BuildSpec {
  const shared = ['package-lock.json']
  // The app (src/e2e holds browser tests only: not built), its build config and the types it shares with the cloud.
  const app = ['src', 'config', 'types', 'cloud/payment/contracts.ts', 'babel.config.js']
  switch (build) {
    case 'functions': {
      const functionsRoot = path.join(root, 'cloud', 'functions')
      const names = existsSync(functionsRoot)
        ? readdirSync(functionsRoot, { withFileTypes: true })
            .filter((entry) => entry.isDirectory() && existsSync(path.join(functionsRoot, entry.name, 'index.ts')))
            .map((entry) => entry.name)
        : []
      return {
        build,
        script: 'build:functions',
        sources: ['cloud/functions', 'cloud/payment', 'scripts/build-functions.ts', 'scripts/function-bundle', 'scripts/deploy/hash.ts', ...shared],
        notSources: [],
        outputs: names.map((name) => `dist/cloudfunctions/${name}/index.js`),
      }
    }
    case 'h5':
      return { build, script: 'build:h5', sources: [...app, ...shared], notSources: ['src/e2e'], outputs: ['dist/h5/index.html'] }
    case 'weapp':
      return {
        build,
        script: 'build:weapp',
        sources: [...app, 'project.config.json', ...shared],
        notSources: ['src/e2e'],
        outputs: ['dist/weapp/app.js'],
      }
  }
}

/** Whether a build must run again before tests use it. */
export function checkBuild(root: string, build: Build): Verdict & { script: string } {
  const spec = buildSpec(root, build)
  return {
    ...staleness(
      newestFile(root, spec.sources, spec.notSources),
      spec.outputs.map((o) => stamp(root, o)),
    ),
    script: spec.script,
  }
}
