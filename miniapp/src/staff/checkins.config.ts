export default definePageConfig({ navigationBarTitleText: '每日报平安', enablePullDownRefresh: true });
