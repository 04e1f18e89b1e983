// Bundled into every built function (scripts/function-bundle/trim.ts): the stand-ins for SDK parts
// left out of the bundle, the loader for parts loaded on first use, and the wrapper around `main`
// that fails an invocation which touched a left-out part — whoever caught the stand-in's error.
// Plain Node, no dependencies: it runs inside the deployed function.

/** Printed to stderr, with a JSON `{ module, use }`, whenever a left-out part is touched. */
export const STRIPPED_MARKER = 'STRIPPED_MODULE_USED'

type Use = { module: string; use: string }

// One list per function instance, on the global object: every copy of this module in a bundle, and
// every invocation, share it.
const USES = Symbol.for('taro-wxpay-shop.strippedModuleUses')
function uses(): Use[] {
  const holder = globalThis as unknown as Record<symbol, Use[] | undefined>
  return (holder[USES] ??= [])
}

/** Everything left-out parts were asked for since this instance started (the tests read it). */
export function strippedUses(): readonly Use[] {
  return uses()
}

function used(module: string, reason: string, use: string): never {
  uses().push({ module, use })
  process.stderr.write(`${STRIPPED_MARKER} ${JSON.stringify({ module, use })}\n`)
  throw new Error(
    `${module} is left out of this function's bundle (${reason}), but ${use} was used. ` +
      'Rebuild with it bundled: remove its entry from scripts/function-bundle/trim.ts (docs/deploy.md).',
  )
}

/**
 * A left-out module. Any property read, call, `new`, write or `in` throws an error naming it and
 * records the use; nothing it answers looks like success. The exceptions are what loading the
 * module's importer does without using it: the CommonJS interop's `__esModule` check, symbol keys
 * (inspection), and the named `inert` members (each a function returning another stand-in, for an
 * SDK that prepares a client at init that it only uses on demand).
 */
export function strippedModule(module: string, reason: string, inert: readonly string[] = [], path = module): unknown {
  const target = function stripped(): void {}
  return new Proxy(target, {
    get(_, key) {
      if (typeof key === 'symbol' || key === '__esModule') return undefined
      if (inert.includes(key)) return () => strippedModule(module, reason, [], `${path}.${key}()`)
      return used(module, reason, `${path}.${key}`)
    },
    apply: () => used(module, reason, `${path}()`),
    construct: () => used(module, reason, `new ${path}()`),
    set: (_, key) => used(module, reason, `${path}.${String(key)} =`),
    has: (_, key) => used(module, reason, `${String(key)} in ${path}`),
    defineProperty: (_, key) => used(module, reason, `defining ${path}.${String(key)}`),
  })
}

/**
 * A module loaded on first property read, for imports only read as `mod.name` (or `mod[key]`):
 * the bundle keeps it, but a cold start that never reads it never runs it.
 */
export function lazyModule<T extends object>(load: () => T): T {
  let loaded: T | undefined
  const real = (): T => (loaded ??= load())
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
  })
}

type Main = (event: unknown, context?: unknown) => unknown

/**
 * The deployed `main`: an invocation during which a left-out part was touched fails with an error
 * naming it, even if the SDK (or anything else) caught the stand-in's own error and carried on.
 */
export function guardMain(main: Main): (event: unknown, context?: unknown) => Promise<unknown> {
  // Touched while the function loaded (the SDK's init swallows its own errors): no invocation can be trusted.
  const atLoad = uses().slice()
  return async (event, context) => {
    const before = uses().length
    let result: unknown
    let failure: { error: unknown } | undefined
    try {
      result = await main(event, context)
    } catch (error) {
      failure = { error }
    }
    const touched = [...atLoad, ...uses().slice(before)]
    if (touched.length > 0) {
      const what = touched.map((u) => `${u.use} (${u.module})`).join(', ')
      throw new Error(`this invocation used parts left out of the function's bundle: ${what}`)
    }
    if (failure) throw failure.error
    return result
  }
}
