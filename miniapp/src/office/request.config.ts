export default definePageConfig({ navigationBarTitleText: '诉求处理' });
