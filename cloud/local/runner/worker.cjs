// @ts-check
// The function runtime: one worker thread per deployed function, like one container instance.
// Plain CommonJS on purpose: it must start in a bare worker without a TypeScript loader.
'use strict'
const { AsyncLocalStorage } = require('node:async_hooks')
const path = require('node:path')
const { parentPort, workerData } = require('node:worker_threads')

if (!parentPort) throw new Error('worker.cjs runs only as a worker thread')
const port = parentPort

/** @type {{ functionDir: string, netGuard?: string }} */
const data = workerData
if (data.netGuard) require(data.netGuard)

// wx-server-sdk reads the caller (OPENID, SOURCE, API token) from process.env on every call.
// Concurrent invocations each get their own overlay on top of the function's configuration.
/** @type {AsyncLocalStorage<Record<string, string | undefined>>} */
const overlay = new AsyncLocalStorage()
const baseEnv = process.env
const has = (/** @type {Record<string, unknown>} */ o, /** @type {PropertyKey} */ k) => Object.prototype.hasOwnProperty.call(o, k)
process.env = new Proxy(baseEnv, {
  get(target, key) {
    const own = overlay.getStore()
    if (own && typeof key === 'string' && has(own, key)) return own[key]
    return Reflect.get(target, key)
  },
  set(target, key, value) {
    const own = overlay.getStore()
    if (own && typeof key === 'string') own[key] = String(value)
    else Reflect.set(target, key, String(value))
    return true
  },
  has(target, key) {
    const own = overlay.getStore()
    if (own && typeof key === 'string' && has(own, key)) return own[key] !== undefined
    return Reflect.has(target, key)
  },
  ownKeys(target) {
    const own = overlay.getStore()
    const keys = new Set(Reflect.ownKeys(target))
    if (own)
      for (const [k, v] of Object.entries(own)) {
        if (v === undefined) keys.delete(k)
        else keys.add(k)
      }
    return [...keys]
  },
  getOwnPropertyDescriptor(target, key) {
    const own = overlay.getStore()
    if (own && typeof key === 'string' && has(own, key)) {
      const value = own[key]
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true }
    }
    return Reflect.getOwnPropertyDescriptor(target, key)
  },
})

/** @type {{ main: (event: unknown, context: unknown) => unknown } | undefined} */
let fn

function load() {
  if (fn) return fn
  const mod = require(path.join(data.functionDir, 'index.js'))
  if (!mod || typeof mod.main !== 'function') throw new Error('index.js does not export main')
  fn = mod
  return mod
}

port.on('message', (/** @type {{ id: number, event: unknown, env: Record<string, string | undefined>, context: unknown }} */ msg) => {
  overlay.run({ ...msg.env }, async () => {
    try {
      const result = await load().main(msg.event, msg.context)
      // The cloud returns results as JSON: undefined becomes null, Dates become strings.
      const json = JSON.stringify(result === undefined ? null : result)
      port.postMessage({ id: msg.id, ok: true, json })
    } catch (error) {
      const err = /** @type {Error} */ (error)
      port.postMessage({ id: msg.id, ok: false, message: String((err && err.stack) || err) })
    }
  })
})
