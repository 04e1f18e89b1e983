// The app has no Node: the one `process` it sees is Taro's build-time `process.env.TARO_ENV`
// (types/global.d.ts), replaced in the bundle. Any other process.env read, or a Node global, fails the typecheck.
declare const process: { readonly env: NodeJS.ProcessEnv }
