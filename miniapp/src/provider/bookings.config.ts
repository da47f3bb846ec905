export default definePageConfig({ navigationBarTitleText: '预约与确认', enablePullDownRefresh: true });
