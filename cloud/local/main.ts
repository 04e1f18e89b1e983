import path from 'node:path'
import { localCloudOptions, LocalConfigError } from './config'
import { startLocalCloud } from './localcloud'

// Cloud functions run in UTC; so does everything here.
process.env.TZ = 'UTC'

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..')
  const options = localCloudOptions(root, process.env)
  const cloud = await startLocalCloud(options)
  console.log(`local cloud listening on ${cloud.url} (data in ${path.relative(root, options.dataDir) || '.'}, env ${options.envId})`)
  let closing = false
  const stop = (): void => {
    if (closing) return
    closing = true
    cloud.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalConfigError ? `local cloud: ${error.message}` : error)
  process.exit(1)
})
