export default definePageConfig({ navigationBarTitleText: '紧急通知' });
