import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'

/** Where a built function records the hash of what it deploys; its health check reads it at run time. */
export const BUILD_FILE = 'build.json'

export type BuildInfo = { hash: string }

/** Every file under `dir` but its own build.json, as `/`-separated relative paths sorted by code unit. */
async function filesOf(dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(child)
      else if (child !== BUILD_FILE) found.push(child)
    }
  }
  await walk('')
  return found.sort()
}

/**
 * The SHA-256 (hex) of a built function folder: for each file but build.json, sorted by path,
 * its path, a NUL, its length in bytes, a NUL, then its bytes. Paths and lengths are framed in,
 * so renaming a file or moving bytes between files changes the hash as surely as editing them.
 * The bundle inlines the payment module, so a change there changes every function that uses it.
 */
export async function folderHash(dir: string): Promise<string> {
  const hash = createHash('sha256')
  for (const rel of await filesOf(dir)) {
    const bytes = await fs.readFile(path.join(dir, ...rel.split('/')))
    hash.update(`${rel}\0${bytes.length}\0`)
    hash.update(bytes)
  }
  return hash.digest('hex')
}

/** Writes `<dir>/build.json` (`{ "hash": … }`) and returns the hash. */
export async function writeBuildInfo(dir: string): Promise<string> {
  const hash = await folderHash(dir)
  const info: BuildInfo = { hash }
  await fs.writeFile(path.join(dir, BUILD_FILE), `${JSON.stringify(info, null, 2)}\n`)
  return hash
}

/** The hash a built folder's build.json records; null when there is none or it is malformed. */
export async function readBuildInfo(dir: string): Promise<string | null> {
  try {
    const info: unknown = JSON.parse(await fs.readFile(path.join(dir, BUILD_FILE), 'utf8'))
    const hash = (info as { hash?: unknown } | null)?.hash
    return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? hash : null
  } catch {
    return null
  }
}
