import http from 'node:http'
import type { Engine } from './db/engine'
import type { FunctionInvoker, HttpPoster, SimClock, SimDoc, SimStore } from './pay/ports'
import type { FunctionRunner } from './runner/runner'

export const SIM_COLLECTIONS = ['_sim_trades', '_sim_refunds', '_sim_notifications'] as const

export function engineSimStore(engine: Engine): SimStore {
  return {
    async get(collection, id) {
      const found = engine.getById(collection, id)
      await engine.durable()
      return found ? (found.doc as SimDoc) : null
    },
    async put(collection, doc) {
      const { _id, ...data } = doc
      await engine.replace(collection, _id, data).written
    },
    async all(collection) {
      const docs = engine.find(collection, {}, { limit: Number.MAX_SAFE_INTEGER })
      await engine.durable()
      return docs as SimDoc[]
    },
  }
}

export function runnerInvoker(runner: FunctionRunner): FunctionInvoker {
  return {
    async invokePayCallback(functionName, event) {
      if (!runner.exists(functionName)) throw new Error(`function ${functionName} is not deployed`)
      const outcome = await runner.invoke(functionName, event, { source: 'wx_paycallback' })
      if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`)
      return outcome.result
    },
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

/** Delivers merchant notifications; like WeChat it gives up on a reply after 5 seconds. */
export const loopbackPoster: HttpPoster = {
  post(url, body, contentType) {
    return new Promise((resolve, reject) => {
      let target: URL
      try {
        target = new URL(url)
      } catch {
        reject(new Error(`invalid notify url: ${url}`))
        return
      }
      if (target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
        reject(new Error(`the local cloud only delivers to loopback http URLs, not ${url}`))
        return
      }
      const req = http.request(target, { method: 'POST', headers: { 'content-type': contentType }, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error('notify timed out after 5 s')))
      req.on('error', reject)
      req.end(body)
    })
  },
}

export const realClock: SimClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return { cancel: () => clearTimeout(timer) }
  },
}
