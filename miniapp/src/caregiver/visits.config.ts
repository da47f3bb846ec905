export default definePageConfig({ navigationBarTitleText: '今日上门', enablePullDownRefresh: true });
