import type { AppConfig } from '@tarojs/taro'

// app.json's `cloud` flag is passed through by Taro but missing from its AppConfig type.
const config: AppConfig & { cloud: boolean } = {
  pages: [
    'pages/index/index'
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '小店',
    navigationBarTextStyle: 'black'
  },
  cloud: true
}

export default defineAppConfig(config)
