export default definePageConfig({ navigationBarTitleText: '上门报修', enablePullDownRefresh: true });
