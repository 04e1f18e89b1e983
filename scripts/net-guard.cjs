// @ts-check
// Preloaded into every test process (and every function worker): any attempt to reach a
// non-loopback address — a DNS lookup or a connect — fails and is recorded in NET_GUARD_LOG,
// and the test run fails because of it. A missing seam variable would otherwise silently send
// wx-server-sdk to the internet.
'use strict'
const dns = require('node:dns')
const fs = require('node:fs')
const net = require('node:net')

const MARK = Symbol.for('taro-wxpay-shop.net-guard')
const g = /** @type {Record<symbol, boolean>} */ (/** @type {unknown} */ (globalThis))
if (!g[MARK]) {
  g[MARK] = true
  install()
}

/** @param {unknown} host */
function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true // Node defaults to localhost
  if (typeof host !== 'string') return false
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1'
}

/** @param {string} what */
function violation(what) {
  const tag = process.env.NET_GUARD_TAG ? ` [${process.env.NET_GUARD_TAG}]` : ''
  const line = `${new Date().toISOString()} pid ${process.pid}${tag}: blocked ${what}\n`
  const log = process.env.NET_GUARD_LOG
  if (log) {
    try {
      fs.appendFileSync(log, line)
    } catch {
      // the error below still fails the caller
    }
  }
  process.stderr.write(`[net-guard] ${line}`)
  const error = new Error(`net-guard: ${what} is not a loopback address (tests may only reach 127.0.0.1)`)
  Object.assign(error, { code: 'ENETGUARD' })
  return error
}

function install() {
  const originalLookup = dns.lookup
  /** @type {any} */
  const guardedLookup = function (/** @type {string} */ hostname, /** @type {any[]} */ ...rest) {
    if (!isLoopback(hostname)) {
      const callback = rest[rest.length - 1]
      const error = violation(`DNS lookup of ${hostname}`)
      if (typeof callback === 'function') process.nextTick(callback, error)
      return {}
    }
    return Reflect.apply(originalLookup, dns, [hostname, ...rest])
  }
  dns.lookup = guardedLookup
  const originalPromiseLookup = dns.promises.lookup
  dns.promises.lookup = /** @type {any} */ (
    function (/** @type {string} */ hostname, /** @type {any[]} */ ...rest) {
      if (!isLoopback(hostname)) return Promise.reject(violation(`DNS lookup of ${hostname}`))
      return Reflect.apply(originalPromiseLookup, dns.promises, [hostname, ...rest])
    }
  )
  for (const name of /** @type {const} */ (['resolve', 'resolve4', 'resolve6', 'resolveAny'])) {
    const original = dns[name]
    ;/** @type {any} */ (dns)[name] = function (/** @type {string} */ hostname, /** @type {any[]} */ ...rest) {
      if (!isLoopback(hostname)) {
        const callback = rest[rest.length - 1]
        const error = violation(`DNS resolve of ${hostname}`)
        if (typeof callback === 'function') process.nextTick(callback, error)
        return
      }
      return Reflect.apply(original, dns, [hostname, ...rest])
    }
  }

  const originalConnect = net.Socket.prototype.connect
  /**
   * @this {import("node:net").Socket}
   * @param {any[]} args
   */
  const guardedConnect = function (...args) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0]
    let host
    let isPipe = false
    if (first && typeof first === 'object') {
      if (first.path) isPipe = true
      host = first.host
    } else if (typeof first === 'string' && Number.isNaN(Number(first))) {
      isPipe = true
    } else {
      host = typeof args[1] === 'string' ? args[1] : undefined
    }
    if (!isPipe && !isLoopback(host)) {
      const error = violation(`connect to ${host}`)
      process.nextTick(() => this.destroy(error))
      return this
    }
    return Reflect.apply(originalConnect, this, args)
  }
  net.Socket.prototype.connect = guardedConnect
}
