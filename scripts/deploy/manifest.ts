import { promises as fs } from 'node:fs'
import path from 'node:path'

// deploy/<envId>.json: what is online in one environment, by function — the build hash deployed
// and when. Committed by ops, so `--changed` knows what differs; written only after tcb reports
// a function deployed.

export type ManifestEntry = { hash: string; deployedAt: string }
export type Manifest = Record<string, ManifestEntry>

export const manifestPath = (root: string, envId: string): string => path.join(root, 'deploy', `${envId}.json`)

const isEntry = (value: unknown): value is ManifestEntry =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ManifestEntry).hash === 'string' &&
  /^[0-9a-f]{64}$/.test((value as ManifestEntry).hash) &&
  typeof (value as ManifestEntry).deployedAt === 'string'

/** The manifest, `{}` when the environment was never deployed from here; a malformed one is a problem, not an empty one. */
export async function readManifest(file: string): Promise<{ ok: true; manifest: Manifest } | { ok: false; problem: string }> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, manifest: {} }
    throw error
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ok: false, problem: `${file} is not JSON` }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: `${file} is not a JSON object` }
  const bad = Object.entries(raw).filter(([, entry]) => !isEntry(entry))
  if (bad.length > 0)
    return { ok: false, problem: `${file}: ${bad.map(([name]) => name).join(', ')} must be { "hash": "<sha256 hex>", "deployedAt": "<ISO time>" }` }
  return { ok: true, manifest: raw as Manifest }
}

/** Written whole through a temporary file, so an interrupted deploy never leaves half a manifest. */
export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  await fs.mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  await fs.writeFile(temporary, `${JSON.stringify(sorted, null, 2)}\n`)
  await fs.rename(temporary, file)
}
