export default definePageConfig({ navigationBarTitleText: '生鲜柜管理', enablePullDownRefresh: true });
