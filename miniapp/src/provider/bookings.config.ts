export default definePageConfig({ navigationBarTitleText: '预约确认', enablePullDownRefresh: true });
