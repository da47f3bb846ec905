export default definePageConfig({ navigationBarTitleText: '小组详情' });
