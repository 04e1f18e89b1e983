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
  // The staff console: its own subpackage, loaded only when a staff page opens, so none of it
  // (its pages, store and service) weighs on the shop's main package.
  subPackages: [
    {
      root: 'pages/staff',
      pages: ['orders/index', 'order/index', 'goods/index', 'goods/edit/index', 'reconcile/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'dark',
    // The pull-down area matches the page background (styles/tokens.scss $color-page).
    backgroundColor: '#f5f5f5',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '小店',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    // Tab labels are 10 px: both colours are ≥ 4.5:1 on white (tokens.scss: text-secondary-ish, primary).
    color: '#646566',
    selectedColor: '#067a3f',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-active.png' },
      { pagePath: 'pages/orders/index', text: '我的订单', iconPath: 'assets/tab/orders.png', selectedIconPath: 'assets/tab/orders-active.png' },
    ],
  },
  // Load only the components a page uses when it first renders (WeChat's 按需注入).
  lazyCodeLoading: 'requiredComponents',
  // wx.chooseAddress (the delivery address at checkout) must be declared to be callable.
  requiredPrivateInfos: ['chooseAddress'],
  // Which pages WeChat search may index: src/sitemap.json, copied into dist/weapp by config/index.ts.
  sitemapLocation: 'sitemap.json',
  cloud: true,
}

export default defineAppConfig(config)
