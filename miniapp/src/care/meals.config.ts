export default definePageConfig({ navigationBarTitleText: '助餐', enablePullDownRefresh: true });
