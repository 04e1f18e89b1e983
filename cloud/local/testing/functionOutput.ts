import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { BUILT_FUNCTIONS } from './harness'

/**
 * Everything the functions print: each function's worker pipes its stdout and stderr into this
 * process's (the runner starts workers with `stdout: false`). Kept, and passed on. Chunk by chunk:
 * the test runner's own reports share stdout and do not end their lines. `records` are the
 * invocation log lines (`{"fn":…}`, cloud/payment/adapters/invocationLog.ts).
 */
export function captureOutput<T = Record<string, unknown>>(): { text: () => string; records: () => T[]; restore: () => void } {
  const chunks: string[] = []
  const streams = [process.stdout, process.stderr] as const
  const originals = streams.map((stream) => stream.write)
  streams.forEach((stream, i) => {
    const original = originals[i]!
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof stream.write
  })
  return {
    text: () => chunks.join(''),
    records: () =>
      chunks.flatMap((chunk) =>
        chunk
          .split('\n')
          .filter((line) => line.startsWith('{"fn":'))
          .map((line) => JSON.parse(line) as T),
      ),
    restore: () => streams.forEach((stream, i) => (stream.write = originals[i]!)),
  }
}

/** The hash the build wrote beside a built function (`build.json`), or `unknown` when this build writes none. */
export function builtHash(name: string): string {
  const file = path.join(BUILT_FUNCTIONS, name, 'build.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { hash: string }).hash : 'unknown'
}
