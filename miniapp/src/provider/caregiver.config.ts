export default definePageConfig({ navigationBarTitleText: '护理员详情' });
