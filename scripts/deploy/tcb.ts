import { spawn } from 'node:child_process'
import path from 'node:path'

// Running `tcb` (@cloudbase/cli, a dev dependency) behind a small interface, so tests record
// the calls instead of reaching Tencent Cloud.

export type TcbRun = { code: number | null; output: string }
export type TcbOptions = {
  cwd: string
  /** Added to the inherited environment: the values `{{env.X}}` in cloudbaserc.json stand for. */
  env: Record<string, string>
  /** Each complete line tcb prints, as it prints it (the caller redacts and shows it). */
  onLine: (line: string) => void
}
export type TcbRunner = (args: readonly string[], options: TcbOptions) => Promise<TcbRun>

/** The project's own tcb: the version the deploy was written against. */
export function spawnTcb(root: string): TcbRunner {
  const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tcb.cmd' : 'tcb')
  return (args, { cwd, env, onLine }) =>
    new Promise((resolve, reject) => {
      // stdin closed: a question tcb would ask (login, overwrite) fails instead of hanging a CI job.
      const child = spawn(bin, [...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      const pending = { stdout: '', stderr: '' }
      const take = (stream: 'stdout' | 'stderr', chunk: Buffer, end = false): void => {
        const text = pending[stream] + chunk.toString('utf8')
        const lines = text.split(/\r?\n/)
        pending[stream] = end ? '' : lines.pop()!
        for (const line of end ? lines.filter(Boolean) : lines) {
          output += `${line}\n`
          onLine(line)
        }
      }
      child.stdout.on('data', (chunk: Buffer) => take('stdout', chunk))
      child.stderr.on('data', (chunk: Buffer) => take('stderr', chunk))
      child.on('error', reject)
      child.on('close', (code) => {
        take('stdout', Buffer.alloc(0), true)
        take('stderr', Buffer.alloc(0), true)
        resolve({ code, output })
      })
    })
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters by definition
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

/**
 * Whether tcb deployed `name`. Its exit code alone is not enough: tcb 2.12.10 prints a failed
 * deploy (`[name] 函数部署失败`) and still exits 0. Only its success line counts — in either of
 * its languages, after a create (部署成功) or an update of an existing function (更新成功).
 */
export function tcbDeployed(name: string, run: TcbRun): boolean {
  if (run.code !== 0) return false
  const text = run.output.replace(ANSI, '')
  return [
    `[${name}] 云函数部署成功！`,
    `[${name}] 云函数更新成功！`,
    `[${name}] Cloud function deployed successfully!`,
    `[${name}] Cloud function updated successfully!`,
  ].some((line) => text.includes(line))
}
