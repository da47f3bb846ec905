export default definePageConfig({ navigationBarTitleText: '信息查看记录', enablePullDownRefresh: true });
