import type { ConfigResult, FunctionConfig } from './functionConfig'
import type { Manifest } from './manifest'
import { functionVariables, type Target, type Values } from './variables'

// What a deploy will do, decided before anything is deployed: which functions, why, with what
// configuration and variables — or every reason not to deploy at all.

export type Selection = { kind: 'named'; names: readonly string[] } | { kind: 'changed' } | { kind: 'all' }

/** A built function folder: its build hash and its parsed config.json. */
export type BuiltFunction = { name: string; hash: string; config: ConfigResult }

export type Planned = {
  name: string
  hash: string
  /** Why it is deployed: named, all, or how its build differs from the manifest. */
  reason: string
  config: FunctionConfig
  /** Exactly the variables it will have online afterwards. */
  variables: Record<string, string>
  warnings: string[]
}

export type Plan = {
  envId: string
  target: Target
  functions: Planned[]
  /** `--changed`: the functions whose build matches the manifest. */
  unchanged: string[]
  /** Every problem with every selected function; any problem means nothing is deployed. */
  problems: string[]
}

export type PlanInput = {
  envId: string
  target: Target
  selection: Selection
  built: readonly BuiltFunction[]
  manifest: Manifest
  /** Where the manifest lives, for the reasons shown. */
  manifestName: string
  values: Values
}

const short = (hash: string): string => hash.slice(0, 12)

function reasonFor(fn: BuiltFunction, input: PlanInput): string | null {
  switch (input.selection.kind) {
    case 'named':
      return input.selection.names.includes(fn.name) ? 'named' : null
    case 'all':
      return 'all'
    case 'changed': {
      const entry = input.manifest[fn.name]
      if (!entry) return `changed: not in ${input.manifestName}`
      return entry.hash === fn.hash ? null : `changed: build ${short(fn.hash)}…, ${input.manifestName} has ${short(entry.hash)}…`
    }
  }
}

export function planDeploy(input: PlanInput): Plan {
  const plan: Plan = { envId: input.envId, target: input.target, functions: [], unchanged: [], problems: [] }
  if (input.selection.kind === 'named') {
    const known = input.built.map((fn) => fn.name)
    for (const name of input.selection.names) if (!known.includes(name)) plan.problems.push(`${name}: no such function (known: ${known.join(', ')})`)
  }
  for (const fn of input.built) {
    const reason = reasonFor(fn, input)
    if (reason === null) {
      if (input.selection.kind === 'changed') plan.unchanged.push(fn.name)
      continue
    }
    if (!fn.config.ok) {
      plan.problems.push(...fn.config.problems.map((problem) => `${fn.name}: config.json: ${problem}`))
      continue
    }
    const variables = functionVariables(fn.config.config.variables, input.values, input.target)
    plan.problems.push(...variables.problems.map((problem) => `${fn.name}: ${problem}`))
    plan.functions.push({ name: fn.name, hash: fn.hash, reason, config: fn.config.config, variables: variables.values, warnings: variables.warnings })
  }
  return plan
}
