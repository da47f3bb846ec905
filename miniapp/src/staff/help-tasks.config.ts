export default definePageConfig({ navigationBarTitleText: '互助任务', enablePullDownRefresh: true });
