export default definePageConfig({ navigationBarTitleText: '代办确认' });
