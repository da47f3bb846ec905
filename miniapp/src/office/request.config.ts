export default definePageConfig({ navigationBarTitleText: '诉求处理', enablePullDownRefresh: true });
