/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'
declare module '*.sass'

// Optional because this program also type-checks cloud/ and scripts/, where it is unset.
// Taro replaces it at build time, so `process.env.TARO_ENV === 'weapp'` drops the other branch.
declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
  }
}

/** Where the mini program loads goods pictures stored as paths (config/index.ts `defineConstants`). */
declare const ASSET_BASE: string
