export default definePageConfig({ navigationBarTitleText: '配送时段', enablePullDownRefresh: true });
