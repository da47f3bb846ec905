export default definePageConfig({ navigationBarTitleText: '诉求派单', enablePullDownRefresh: true });
