export default definePageConfig({ navigationBarTitleText: '每日上门预约', enablePullDownRefresh: true });
