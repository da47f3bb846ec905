export default definePageConfig({ navigationBarTitleText: '我的养老服务', enablePullDownRefresh: true });
