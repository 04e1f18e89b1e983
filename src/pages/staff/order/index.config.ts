export default definePageConfig({
  navigationBarTitleText: '订单详情（商家）',
  enablePullDownRefresh: true,
})
