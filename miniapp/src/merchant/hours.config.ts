export default definePageConfig({ navigationBarTitleText: '营业设置' });
