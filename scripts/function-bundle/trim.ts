import { readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'esbuild'

// What a function's bundle leaves out of wx-server-sdk, and what it loads only on first use.
// Loading the whole SDK was most of a cold start: its node-sdk requires every part it has at load
// (data models, AI, storage with xml2js, axios, jsonwebtoken, two copies of mime-db…), and the
// functions use only the database, callFunction, cloudPay, openapi, getWXContext — and, soon,
// storage. docs/deploy.md ("What the bundle leaves out") says why each entry is safe.
//
// - `stripped`: replaced by a stand-in (guard.ts `strippedModule`) that throws, naming the module,
//   on any use, and makes the invocation fail even if the SDK catches that error (guard.ts
//   `guardMain`). Only for parts no function reaches.
// - `lazy`: kept, but its `require` in the SDK runs on first use instead of at load. Exact text
//   replacements in files of pinned versions: if the text is not found exactly once (the SDK
//   changed), the build fails rather than bundle something untested.

/** The module bundled into every function: stand-ins, the lazy loader and the `main` wrapper. */
export const GUARD = path.join(__dirname, 'guard.ts')

type Stripped = {
  /** Which copy: the package's folder, found from the package that requires it. */
  from: readonly string[]
  /** A file of that package (`.` for every file of it). */
  file: string
  /** The name the error shows. */
  module: string
  reason: string
  /** Members the importer calls at load without using the result (each returns another stand-in). */
  inert?: readonly string[]
}

type Lazy = { from: readonly string[]; file: string; replace: ReadonlyArray<readonly [string, string]> }

const NODE_SDK = ['wx-server-sdk', '@cloudbase/node-sdk'] as const

export const STRIPPED: readonly Stripped[] = [
  {
    from: [...NODE_SDK, '@cloudbase/wx-cloud-client-sdk'],
    file: '.',
    module: '@cloudbase/wx-cloud-client-sdk',
    reason: 'data models and MySQL (cloud.models, cloud.mysql, cloud.rdb): no function uses them',
    // node-sdk's init prepares the data-model client; it is only used through `models`.
    inert: ['generateHTTPClient'],
  },
  {
    from: NODE_SDK,
    file: 'dist/ai/index.js',
    module: '@cloudbase/node-sdk ai (@cloudbase/ai)',
    reason: 'cloud.ai(): no function uses AI models',
  },
  {
    from: NODE_SDK,
    file: 'dist/analytics/index.js',
    module: '@cloudbase/node-sdk analytics',
    reason: 'analytics(), deprecated: no function reports analytics',
  },
]

/** `const x = require("m")` → loaded on first `x.name`; the replacement keeps the binding's name. */
const lazyRequire = (binding: string, expression: string): readonly [string, string] => [
  `const ${binding} = ${expression};`,
  `const ${binding} = require(${JSON.stringify(GUARD)}).lazyModule(() => ${expression});`,
]

export const LAZY: readonly Lazy[] = [
  {
    from: NODE_SDK,
    file: 'dist/cloudbase.js',
    replace: [
      // Storage (and xml2js, which it parses COS answers with): only when a file is uploaded, downloaded or linked.
      lazyRequire('storage_1', 'require("./storage")'),
      // Only the `requestClient` shim for extensions.
      lazyRequire('axios_1', '__importDefault(require("axios"))'),
    ],
  },
  // axios: only to ask the metadata service whether this is Tencent Cloud, outside SCF.
  { from: NODE_SDK, file: 'dist/utils/metadata.js', replace: [lazyRequire('axios_1', '__importDefault(require("axios"))')] },
  {
    from: NODE_SDK,
    file: 'dist/utils/request-core.js',
    replace: [
      // Proxy agents only with a configured proxy; form-data (with mime-types and a mime-db) only for uploads.
      lazyRequire('https_proxy_agent_1', 'require("https-proxy-agent")'),
      lazyRequire('http_proxy_agent_1', 'require("http-proxy-agent")'),
      lazyRequire('form_data_1', '__importDefault(require("form-data"))'),
    ],
  },
  // The database's realtime client (websocket, message queues): only for `watch()`.
  ...['query.js', 'document.js'].map((file) => ({
    from: [...NODE_SDK, '@cloudbase/database'],
    file: `dist/commonjs/${file}`,
    replace: [lazyRequire('websocket_client_1', 'require("./realtime/websocket-client")')],
  })),
  // form-data sends cloudPay and openapi requests, but reads mime-types (another mime-db) only to type a named file.
  {
    from: [...NODE_SDK, 'form-data'],
    file: 'lib/form_data.js',
    replace: [["var mime = require('mime-types');", `var mime = require(${JSON.stringify(GUARD)}).lazyModule(() => require('mime-types'));`]],
  },
  // jsonwebtoken (and semver): only for custom-login tickets.
  { from: NODE_SDK, file: 'dist/auth/index.js', replace: [lazyRequire('jsonwebtoken_1', '__importDefault(require("jsonwebtoken"))')] },
  {
    from: ['wx-server-sdk'],
    file: 'index.js',
    replace: [
      // mime-db: only to name a downloaded file's extension.
      lazyRequire('mimeDB', '__webpack_require__(/*! mime-db */ "mime-db")'),
      // json-bigint (and bignumber.js): only to read and write openapi (云调用) payloads.
      [
        'const JSONBigIntDefault = __webpack_require__(/*! json-bigint */ "json-bigint");',
        `const JSONBigIntDefault = (options) => require(${JSON.stringify(GUARD)}).lazyModule(() => __webpack_require__(/*! json-bigint */ "json-bigint")(options));`,
      ],
    ],
  },
]

/** The real folder of a package, following the chain of packages that require it from `root`. */
function packageDir(root: string, chain: readonly string[]): string {
  let dir = root
  for (const name of chain) dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [dir] }))
  return realpathSync(dir)
}

/** The real path an entry replaces or patches (a package folder for `file: '.'`). */
export function targetOf(root: string, entry: { from: readonly string[]; file: string }): string {
  const dir = packageDir(root, entry.from)
  return entry.file === '.' ? dir : path.join(dir, entry.file)
}

/** Only the entries whose package `root` has: functions built without wx-server-sdk (the deploy tests' fixtures) have nothing to trim. */
function present<T extends { from: readonly string[]; file: string }>(root: string, entries: readonly T[]): Array<T & { target: string }> {
  return entries.flatMap((entry) => {
    try {
      return [{ ...entry, target: targetOf(root, entry) }]
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return []
      throw error
    }
  })
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function applyReplacements(file: string, text: string, replace: Lazy['replace']): string {
  let out = text
  for (const [from, to] of replace) {
    const count = out.split(from).length - 1
    if (count !== 1)
      throw new Error(
        `${file}: expected the text ${JSON.stringify(from)} once, found it ${count} times — the SDK changed; update scripts/function-bundle/trim.ts`,
      )
    out = out.replace(from, () => to)
  }
  return out
}

/** The source of a stand-in module. */
export function strippedSource(entry: Stripped): string {
  return `module.exports = require(${JSON.stringify(GUARD)}).strippedModule(${JSON.stringify(entry.module)}, ${JSON.stringify(entry.reason)}, ${JSON.stringify(entry.inert ?? [])});\n`
}

type TrimOptions = {
  stripped?: readonly Stripped[]
  lazy?: readonly Lazy[]
  /** Told each file replaced or patched (the tests). */ applied?: (file: string) => void
}

/** The esbuild plugin: stand-ins for `STRIPPED`, first-use loading for `LAZY`. */
export function trimPlugin(root: string, { stripped = STRIPPED, lazy = LAZY, applied }: TrimOptions = {}): Plugin {
  const stubs = present(root, stripped).map((entry) => ({
    entry,
    target: entry.target,
    matches: (file: string) => (entry.file === '.' ? file.startsWith(entry.target + path.sep) : file === entry.target),
  }))
  const patches = new Map(present(root, lazy).map((entry) => [entry.target, entry]))
  const watched = [...stubs.map((stub) => stub.target), ...patches.keys()]
  return {
    name: 'trim-sdk',
    setup(build) {
      if (watched.length === 0) return
      build.onLoad({ filter: new RegExp(`^(${watched.map(escape).join('|')})`) }, (args) => {
        const stub = stubs.find((s) => s.matches(args.path))
        if (stub || patches.has(args.path)) applied?.(args.path)
        if (stub) return { contents: strippedSource(stub.entry), loader: 'js', resolveDir: path.dirname(args.path) }
        const patch = patches.get(args.path)
        if (!patch) return undefined
        return { contents: applyReplacements(args.path, readFileSync(args.path, 'utf8'), patch.replace), loader: 'js', resolveDir: path.dirname(args.path) }
      })
    },
  }
}

/** The bundle's entry: the function's own `main`, wrapped so that touching a left-out part fails the invocation. */
export function entrySource(entry: string): string {
  return [
    `import { main as run } from ${JSON.stringify(entry)}`,
    `import { guardMain } from ${JSON.stringify(GUARD)}`,
    'export const main = guardMain(run)',
    '',
  ].join('\n')
}
