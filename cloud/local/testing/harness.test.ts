import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { childCloud } from './harness'

// A stand-in for a busy local cloud: the listening line, then a lot of invocation lines.
const CHATTY = `
process.stdout.write('local cloud listening on http://127.0.0.1:4321\\n')
const line = JSON.stringify({ fn: 'queryOrder', outcome: 'ok', pad: 'x'.repeat(200) }) + '\\n'
let left = 20000
const more = () => { while (left > 0) { left--; if (!process.stdout.write(line)) return process.stdout.once('drain', more) } process.stdout.write('last line\\n') }
more()
`

test('a spawned cloud is found by its listening line, and its kept output stays bounded however much it prints', async () => {
  const child = spawn(process.execPath, ['-e', CHATTY], { stdio: ['ignore', 'pipe', 'pipe'] })
  const cloud = await childCloud(child, 'chatty cloud', 10_000, 64 * 1024)
  assert.equal(cloud.url, 'http://127.0.0.1:4321')
  assert.equal(await cloud.exited, 0)
  const output = cloud.output()
  assert.ok(output.length <= 64 * 1024, `kept ${output.length} characters`)
  // The latest output is what is kept (a crash message comes last).
  assert.match(output, /last line\n$/)
})

test('a cloud that exits before listening is reported with what it printed', async () => {
  const child = spawn(process.execPath, ['-e', "console.error('port in use'); process.exit(3)"], { stdio: ['ignore', 'pipe', 'pipe'] })
  await assert.rejects(childCloud(child, 'broken cloud', 10_000), /broken cloud exited with 3:\nport in use/)
})
