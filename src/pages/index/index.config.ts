export default definePageConfig({
  navigationBarTitleText: '小店',
  enablePullDownRefresh: true,
  // useShareAppMessage in the page needs it (Taro registers onShareAppMessage only then).
  enableShareAppMessage: true,
})
