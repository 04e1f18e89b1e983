import type { Trigger } from './functionConfig'

// cloudbaserc.json for `tcb fn deploy`, generated for the functions of one deploy. Version 2.0
// so that `{{env.X}}` stands for each variable: the file names variables, never their values;
// tcb fills them in from its own environment, which the deploy sets (docs/deploy.md).

/** Node.js 18: tcb's documented default; the bundles target Node 16 and up. */
export const RUNTIME = 'Nodejs18.15'
export const HANDLER = 'index.main'

export type RcFunction = {
  name: string
  handler: string
  runtime: string
  timeout: number
  /** The bundle carries its dependencies: nothing to install in the cloud. */
  installDependency: false
  envVariables?: Record<string, string>
  triggers?: Trigger[]
}
export type CloudbaseRc = { version: '2.0'; envId: string; functionRoot: string; functions: RcFunction[] }

export type RcInput = { name: string; timeout: number; triggers: readonly Trigger[]; variables: readonly string[] }

/** `{{env.X}}`: the template tcb replaces with X from its environment. */
export const template = (name: string): string => `{{env.${name}}}`

/**
 * `functionRoot` is relative to the folder tcb runs in: tcb joins it to its working directory.
 * A function without variables gets no `envVariables` (tcb then leaves its online variables
 * alone), one without triggers no `triggers`.
 */
export function cloudbaserc(envId: string, functionRoot: string, functions: readonly RcInput[]): CloudbaseRc {
  return {
    version: '2.0',
    envId,
    functionRoot,
    functions: functions.map((fn) => ({
      name: fn.name,
      handler: HANDLER,
      runtime: RUNTIME,
      timeout: fn.timeout,
      installDependency: false,
      ...(fn.variables.length > 0 ? { envVariables: Object.fromEntries([...fn.variables].sort().map((name) => [name, template(name)])) } : {}),
      ...(fn.triggers.length > 0 ? { triggers: fn.triggers.map((t) => ({ ...t })) } : {}),
    })),
  }
}
