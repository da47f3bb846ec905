export default definePageConfig({ navigationBarTitleText: '诉求统计', enablePullDownRefresh: true });
