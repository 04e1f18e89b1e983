export default definePageConfig({
  navigationBarTitleText: '商品详情',
  // The mini program shows 转发 in the menu only when the page says so.
  enableShareAppMessage: true,
})
