import { build } from 'esbuild'
import { promises as fs } from 'node:fs'
import path from 'node:path'

// Each function folder deploys alone (WeChat uploads one folder). Everything it runs — the
// payment module, wx-server-sdk, wx-js-utils — is bundled into one index.js, so the folder needs
// no `npm install` in the cloud: ~1.4 MB instead of wx-server-sdk's ~25 MB node_modules, and a
// faster cold start. A dependency that must stay installed can be listed in the source
// package.json's "external" array.
const root = path.resolve(__dirname, '..')
const sourceRoot = path.join(root, 'cloud', 'functions')
const outRoot = path.join(root, 'dist', 'cloudfunctions')

type Manifest = { name: string; version: string; dependencies?: Record<string, string>; external?: string[] }

async function buildFunction(name: string): Promise<{ name: string; bytes: number }> {
  const source = path.join(sourceRoot, name)
  const out = path.join(outRoot, name)
  const manifest = JSON.parse(await fs.readFile(path.join(source, 'package.json'), 'utf8')) as Manifest
  await fs.rm(out, { recursive: true, force: true })
  await fs.mkdir(out, { recursive: true })
  await build({
    entryPoints: [path.join(source, 'index.ts')],
    outfile: path.join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: manifest.external ?? [],
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    // wx-js-utils' WXPay needs one call of the deprecated `request`: a small shim stands in.
    alias: { request: path.join(root, 'cloud', 'payment', 'adapters', 'requestShim.ts') },
    logLevel: 'warning',
  })
  // The deployed package.json lists only what is not bundled in.
  const external = manifest.external ?? []
  const dependencies = Object.fromEntries(Object.entries(manifest.dependencies ?? {}).filter(([name]) => external.includes(name)))
  const deployed = { name: manifest.name, version: manifest.version, private: true, main: 'index.js', dependencies }
  await fs.writeFile(path.join(out, 'package.json'), `${JSON.stringify(deployed, null, 2)}\n`)
  await fs.copyFile(path.join(source, 'config.json'), path.join(out, 'config.json')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  const { size } = await fs.stat(path.join(out, 'index.js'))
  return { name, bytes: size }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const entries = await fs.readdir(sourceRoot, { withFileTypes: true })
  const names = entries.filter((entry) => entry.isDirectory() && (only.length === 0 || only.includes(entry.name))).map((entry) => entry.name)
  if (only.length > 0 && names.length !== only.length) throw new Error(`unknown function in: ${only.join(', ')}`)
  const built = await Promise.all(names.map(buildFunction))
  for (const { name, bytes } of built) console.log(`built ${path.relative(root, path.join(outRoot, name))} (index.js ${bytes} bytes)`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
