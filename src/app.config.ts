import type { AppConfig } from '@tarojs/taro'

// app.json's `cloud` flag is passed through by Taro but missing from its AppConfig type.
const config: AppConfig & { cloud: boolean } = {
  pages: [
    'pages/index/index',
    'pages/cart/index',
    'pages/orders/index',
    'pages/goods/index',
    'pages/checkout/index',
    'pages/result/index',
    'pages/order/index',
    'pages/address/index',
    'pages/address/edit',
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '小店',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    color: '#7a7e83',
    selectedColor: '#07c160',
    backgroundColor: '#ffffff',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-active.png' },
      { pagePath: 'pages/orders/index', text: '我的订单', iconPath: 'assets/tab/orders.png', selectedIconPath: 'assets/tab/orders-active.png' },
    ],
  },
  cloud: true,
}

export default defineAppConfig(config)
