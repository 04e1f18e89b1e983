import type { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'

import './app.scss'

/** The cloud environment the mini program calls, from CLOUD_ENV at build time ('' for the default one; config/clientEnv.ts). */
declare const CLOUD_ENV: string

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // A build-time constant: the H5 bundle drops this branch (its Taro.cloud is a silent stub).
    if (process.env.TARO_ENV === 'weapp') {
      // Without an env, wx.cloud uses the mini program's default environment (the build says so).
      Taro.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true })
    }
  })

  // children is the page being rendered
  return children
}

export default App
