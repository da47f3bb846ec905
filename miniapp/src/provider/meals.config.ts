export default definePageConfig({ navigationBarTitleText: '助餐名单', enablePullDownRefresh: true });
