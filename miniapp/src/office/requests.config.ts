export default definePageConfig({ navigationBarTitleText: '诉求派单' });
