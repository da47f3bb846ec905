export default definePageConfig({ navigationBarTitleText: '居家养老服务', enablePullDownRefresh: true });
