export default definePageConfig({ navigationBarTitleText: '护理员管理', enablePullDownRefresh: true });
