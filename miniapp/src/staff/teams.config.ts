export default definePageConfig({ navigationBarTitleText: '应急队伍', enablePullDownRefresh: true });
