import type { GoodsDocument, GoodsTarget } from './importer'

type Sdk = typeof import('wx-server-sdk')
// wx-server-sdk's typings model its callback overloads; the import uses the promise forms only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseDb = any

const READ_CHUNK = 100

/**
 * The real wx-server-sdk pointed at a running local cloud, through the same seam the local cloud
 * gives its functions (docs/local-cloud.md, section 1). `envId` is the local cloud's (/healthz).
 */
export function localSdk(url: string, envId: string): Sdk {
  Object.assign(process.env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
    // Only used to sign requests, which the local cloud does not check.
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    TENCENTCLOUD: 'true',
    TCB_ENV: envId,
    SCF_NAMESPACE: envId,
  })
  return initSdk(envId)
}

/**
 * The real wx-server-sdk against a real CloudBase environment, with the operator's API key from
 * TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY (read by the SDK itself). Untested here: no
 * real environment can be reached from this repository's machines (docs/catalogue.md).
 */
export function realSdk(envId: string, env: Readonly<Record<string, string | undefined>>): Sdk {
  if (!env['TENCENTCLOUD_SECRETID'] || !env['TENCENTCLOUD_SECRETKEY'])
    throw new Error('set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (a CAM key allowed to write the environment) to import into a real environment')
  // A leftover local seam would send the requests to a local cloud instead.
  delete process.env['TCB_CONTEXT_CNFG']
  return initSdk(envId)
}

function initSdk(envId: string): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as Sdk
  cloud.init({ env: envId })
  return cloud
}

export function cloudTarget(cloud: Sdk): GoodsTarget {
  const db: LooseDb = cloud.database()
  return {
    async readGoods(ids) {
      const found = new Map<string, Record<string, unknown>>()
      for (let i = 0; i < ids.length; i += READ_CHUNK) {
        const chunk = ids.slice(i, i + READ_CHUNK)
        const { data } = (await db
          .collection('goods')
          .where({ _id: db.command.in(chunk) })
          .limit(READ_CHUNK)
          .get()) as { data: Record<string, unknown>[] }
        for (const doc of data) if (typeof doc['_id'] === 'string') found.set(doc['_id'], doc)
      }
      return found
    },
    async upload(cloudPath, content) {
      const { fileID } = await cloud.uploadFile({ cloudPath, fileContent: content })
      return fileID
    },
    async writeGoods(id: string, data: GoodsDocument) {
      await db.collection('goods').doc(id).set({ data })
    },
  }
}
