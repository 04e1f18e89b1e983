import path from 'node:path'
import { packFolder } from '../../cloud/local/runner/archive'
import { FUNCTION_ROOT, readBuilt, sourceFunctions } from './deploy'

// `npm run deploy -- <name…> | --all --target local [--url http://127.0.0.1:8787]`: the same
// built folders, uploaded to a running local cloud, which swaps each function without a restart
// (POST /api/deploy/<name>, cloud/local/http/deploy.ts). The local cloud gives functions its own
// configuration (.env), so no variables travel; the config.json checks still apply.

export const DEFAULT_LOCAL_URL = 'http://127.0.0.1:8787'
const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/

export type LocalDeployOptions = {
  root: string
  /** Function names; empty means all of them. */
  names: readonly string[]
  url: string
  build: (names: readonly string[]) => Promise<void>
  print: (line: string) => void
}

export type LocalDeployResult = { ok: boolean; deployed: string[] }

export async function deployLocal(options: LocalDeployOptions): Promise<LocalDeployResult> {
  const { root, print } = options
  const fail = (line: string): LocalDeployResult => {
    print(line)
    return { ok: false, deployed: [] }
  }
  if (!LOOPBACK_URL.test(options.url))
    return fail(`deploy: --url must be the local cloud on this machine (http://127.0.0.1:<port> or http://localhost:<port>), not ${options.url}`)
  const url = options.url.replace(/\/$/, '')
  const known = await sourceFunctions(root)
  const unknown = options.names.filter((name) => !known.includes(name))
  if (unknown.length > 0) return fail(`deploy: no such function: ${unknown.join(', ')} (known: ${known.join(', ')})`)
  const names = options.names.length > 0 ? [...new Set(options.names)].sort() : known
  await options.build(names)
  const built = await Promise.all(names.map((name) => readBuilt(root, name)))
  const problems = built.flatMap((fn) => (fn.config.ok ? [] : fn.config.problems.map((problem) => `${fn.name}: config.json: ${problem}`)))
  if (problems.length > 0) {
    print(`deploy to the local cloud at ${url}: refused, nothing deployed:`)
    for (const problem of problems) print(`  ${problem}`)
    return { ok: false, deployed: [] }
  }

  const deployed: string[] = []
  for (const fn of built) {
    const archive = await packFolder(path.join(root, FUNCTION_ROOT, fn.name))
    let answer: { status: number; body: { build?: unknown; replaced?: unknown; error?: { code?: unknown; message?: unknown } } }
    try {
      const res = await fetch(`${url}/api/deploy/${fn.name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/gzip' },
        body: new Uint8Array(archive),
      })
      answer = { status: res.status, body: (await res.json().catch(() => ({}))) as typeof answer.body }
    } catch (error) {
      answer = { status: 0, body: { error: { message: `is it running? (npm run start:cloud) ${(error as Error).message}` } } }
    }
    if (answer.status !== 200 || answer.body.build !== fn.hash) {
      const why = answer.body.error
        ? `${String(answer.body.error.code ?? 'ERROR')}: ${String(answer.body.error.message)}`
        : `answered build ${String(answer.body.build)}`
      print(`deploy to the local cloud at ${url}: FAILED at ${fn.name} (${answer.status === 0 ? 'no answer' : `HTTP ${answer.status}`}, ${why})`)
      print(
        `  deployed: ${deployed.length > 0 ? deployed.join(', ') : 'none'}; not attempted: ${
          built
            .slice(built.indexOf(fn) + 1)
            .map((f) => f.name)
            .join(', ') || 'none'
        }`,
      )
      return { ok: false, deployed }
    }
    deployed.push(fn.name)
    print(
      `  ${fn.name}: build ${fn.hash.slice(0, 12)}… (${(archive.length / 1024).toFixed(0)} KB)${answer.body.replaced === true ? ', replacing the running one' : ', new'}`,
    )
  }
  print(`deploy to the local cloud at ${url}: deployed ${deployed.join(', ')} (invocations already running finish on the code they started with)`)
  return { ok: true, deployed }
}
