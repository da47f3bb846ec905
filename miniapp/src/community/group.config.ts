export default definePageConfig({ navigationBarTitleText: '小组详情', enablePullDownRefresh: true });
