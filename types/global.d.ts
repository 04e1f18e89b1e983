/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'
declare module '*.sass'

// Taro replaces it at build time, so `process.env.TARO_ENV === 'weapp'` drops the other branch.
// Optional because the app's tests run the same code in Node, where it is unset. In the app this
// interface is all of `process.env` (types/app-env.d.ts); with Node's types it extends theirs.
declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
  }
}

/** Where the mini program loads goods pictures stored as paths (config/index.ts `defineConstants`). */
declare const ASSET_BASE: string
