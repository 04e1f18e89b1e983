import type { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'

import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // A build-time constant: the H5 bundle drops this branch (its Taro.cloud is a silent stub).
    if (process.env.TARO_ENV === 'weapp') {
      Taro.cloud.init({ traceUser: true })
    }
  })

  // children is the page being rendered
  return children
}

export default App
