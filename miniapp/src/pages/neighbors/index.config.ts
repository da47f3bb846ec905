export default definePageConfig({
  navigationBarTitleText: '邻里',
  enablePullDownRefresh: true,
  // Loads the next page a little before the bottom, so scrolling rarely waits.
  onReachBottomDistance: 200,
});
