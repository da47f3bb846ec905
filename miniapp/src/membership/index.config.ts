export default definePageConfig({ navigationBarTitleText: '我的住户认证' });
