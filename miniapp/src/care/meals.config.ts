export default definePageConfig({ navigationBarTitleText: '食堂订餐', enablePullDownRefresh: true });
