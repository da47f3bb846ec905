export default definePageConfig({ navigationBarTitleText: '报平安与代取设置' });
