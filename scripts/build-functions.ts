import { build, type BuildOptions } from 'esbuild'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { writeBuildInfo } from './deploy/hash'
import { SIDE_DIR, sidePlugin } from './function-bundle/side'
import { entrySource, trimPlugin } from './function-bundle/trim'

// Each function folder deploys alone (WeChat uploads one folder). Everything it runs — the
// payment module, wx-server-sdk, wx-js-utils — is bundled into index.js, and what it loads only on
// first use into lazy/ beside it, so the folder needs no `npm install` in the cloud: ~1.5 MB
// instead of wx-server-sdk's ~25 MB node_modules, and a faster cold start. A dependency that must
// stay installed can be listed in the source package.json's "external" array. The SDK parts no
// function uses are left out (scripts/function-bundle/trim.ts, docs/deploy.md): `main` is wrapped
// so that an invocation touching a left-out part fails loudly.
const repoRoot = path.resolve(__dirname, '..')
const sourceRootOf = (root: string): string => path.join(root, 'cloud', 'functions')
const outRootOf = (root: string): string => path.join(root, 'dist', 'cloudfunctions')

type Manifest = { name: string; version: string; dependencies?: Record<string, string>; external?: string[] }

export type Built = { name: string; bytes: number; hash: string }

/** Told each SDK file the trimming replaced or patched (the tests). */
export type BundleOptions = { external?: readonly string[]; applied?: (file: string) => void }

/**
 * Bundles the function in `source` (its index.ts, `main` wrapped by the guard) into `outfile`, and
 * what it loads only on first use into side files beside it (scripts/function-bundle/side.ts).
 */
export async function bundle(root: string, source: string, outfile: string, { external = [], applied }: BundleOptions = {}): Promise<void> {
  const common: BuildOptions = {
    // Paths the bundle names (module ids) are relative to the repository, wherever the build
    // runs from: the same sources give the same bytes, so the same build hash.
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: [...external],
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    // wx-js-utils' WXPay needs one call of the deprecated `request`: a small shim stands in.
    alias: { request: path.join(root, 'cloud', 'payment', 'adapters', 'requestShim.ts') },
    logLevel: 'warning',
  }
  const side = new Map<string, string>()
  await build({
    ...common,
    stdin: { contents: entrySource(path.join(source, 'index.ts')), resolveDir: source, sourcefile: path.join(source, 'deployed.ts'), loader: 'ts' },
    outfile,
    plugins: [trimPlugin(root, { applied }), sidePlugin(`./${SIDE_DIR}/`, side)],
  })
  // A side file may need another (axios → form-data): until every one found is built.
  const built = new Set<string>()
  for (let next = [...side.keys()]; next.length > 0; next = [...side.keys()].filter((file) => !built.has(file))) {
    for (const file of next.sort()) {
      built.add(file)
      await build({
        ...common,
        entryPoints: [side.get(file)!],
        outfile: path.join(path.dirname(outfile), SIDE_DIR, file),
        plugins: [trimPlugin(root, { applied }), sidePlugin('./', side)],
      })
    }
  }
}

async function buildFunction(root: string, name: string): Promise<Built> {
  const source = path.join(sourceRootOf(root), name)
  const final = path.join(outRootOf(root), name)
  // Built beside the folder, then swapped in by rename: a local cloud running from dist (the tests
  // run several, and `npm run deploy -- --target local` rebuilds while they run) never finds the
  // function half-written or missing.
  const staging = path.join(root, 'dist', '.cloudfunctions-staging')
  const out = path.join(staging, `${name}-${process.pid}`)
  const manifest = JSON.parse(await fs.readFile(path.join(source, 'package.json'), 'utf8')) as Manifest
  await fs.rm(out, { recursive: true, force: true })
  await fs.mkdir(out, { recursive: true })
  await bundle(root, source, path.join(out, 'index.js'), { external: manifest.external ?? [] })
  // The deployed package.json lists only what is not bundled in.
  const external = manifest.external ?? []
  const dependencies = Object.fromEntries(Object.entries(manifest.dependencies ?? {}).filter(([name]) => external.includes(name)))
  const deployed = { name: manifest.name, version: manifest.version, private: true, main: 'index.js', dependencies }
  await fs.writeFile(path.join(out, 'package.json'), `${JSON.stringify(deployed, null, 2)}\n`)
  await fs.copyFile(path.join(source, 'config.json'), path.join(out, 'config.json')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  // Last, over everything else: the hash of exactly what is uploaded (scripts/deploy/hash.ts).
  // The deploy compares it with deploy/<envId>.json; the function's health check reports it.
  const hash = await writeBuildInfo(out)
  const { size } = await fs.stat(path.join(out, 'index.js'))
  const old = path.join(staging, `${name}-${process.pid}-old`)
  await fs.mkdir(outRootOf(root), { recursive: true })
  await fs.rename(final, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  await fs.rename(out, final)
  await fs.rm(old, { recursive: true, force: true })
  return { name, bytes: size, hash }
}

/** Every function of cloud/functions, by folder name. */
export async function functionNames(root = repoRoot): Promise<string[]> {
  const entries = await fs.readdir(sourceRootOf(root), { withFileTypes: true })
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
}

/** Bundles the named functions (all of them when `only` is empty) of `root`/cloud/functions into `root`/dist/cloudfunctions. */
export async function buildFunctions(only: readonly string[] = [], root = repoRoot): Promise<Built[]> {
  const all = await functionNames(root)
  const unknown = only.filter((name) => !all.includes(name))
  if (unknown.length > 0) throw new Error(`unknown function: ${unknown.join(', ')} (known: ${all.join(', ')})`)
  return Promise.all((only.length === 0 ? all : [...new Set(only)]).map((name) => buildFunction(root, name)))
}

async function main(): Promise<void> {
  const built = await buildFunctions(process.argv.slice(2))
  for (const { name, bytes } of built) console.log(`built ${path.relative(repoRoot, path.join(outRootOf(repoRoot), name))} (index.js ${bytes} bytes)`)
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
