export default definePageConfig({ navigationBarTitleText: '护理员', enablePullDownRefresh: true });
