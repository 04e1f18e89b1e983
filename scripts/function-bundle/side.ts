import { existsSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'esbuild'

// Packages that a function only ever requires on first use (trim.ts `LAZY`, merchantGateway's
// WXPay) are bundled into files of their own beside index.js, `lazy/<name>@<version>.js`: a cold
// start that never uses them neither parses nor holds their code (mime-db alone is a fifth of the
// SDK's bytes). Each is bundled like index.js, so the folder still needs no `npm install`.

/** Import specifiers moved to a side file (a package or one of its files). */
export const SIDE_SPECIFIERS: readonly string[] = [
  'axios',
  'form-data',
  'mime-types',
  'mime-db',
  'jsonwebtoken',
  'xml2js',
  'json-bigint',
  'https-proxy-agent',
  'http-proxy-agent',
  'wx-js-utils/src/libs/WXPay',
]

/** The folder, beside index.js, that holds the side files. */
export const SIDE_DIR = 'lazy'

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const FILTER = new RegExp(`^(${SIDE_SPECIFIERS.map(escape).join('|')})$`)

/** `<name>@<version>[~<file>].js` of the package a resolved file belongs to: two versions of a package get two files. */
export function sideFileName(specifier: string, resolved: string): string {
  let dir = path.dirname(resolved)
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error(`no package.json above ${resolved}`)
    dir = up
  }
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
  const name = manifest.name ?? path.basename(dir)
  const sub = specifier.startsWith(`${name}/`) ? `~${specifier.slice(name.length + 1).replace(/\//g, '-')}` : ''
  return `${name.replace('/', '+')}@${manifest.version ?? '0'}${sub}.js`
}

/**
 * Redirects the side specifiers to `prefix<file>` (external), recording in `found` which real file
 * each side file bundles. `prefix` is `./lazy/` from index.js, `./` from another side file.
 */
export function sidePlugin(prefix: string, found: Map<string, string>): Plugin {
  return {
    name: 'side-files',
    setup(build) {
      build.onResolve({ filter: FILTER }, async (args) => {
        if ((args.pluginData as { side?: boolean } | undefined)?.side) return undefined
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { side: true } })
        if (resolved.errors.length > 0) return { errors: resolved.errors }
        const real = realpathSync(resolved.path)
        const file = sideFileName(args.path, real)
        const known = found.get(file)
        if (known !== undefined && known !== real) return { errors: [{ text: `two files would be ${SIDE_DIR}/${file}: ${known} and ${real}` }] }
        found.set(file, real)
        return { path: `${prefix}${file}`, external: true }
      })
    },
  }
}
