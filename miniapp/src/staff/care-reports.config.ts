export default definePageConfig({ navigationBarTitleText: '考勤与结算' });
