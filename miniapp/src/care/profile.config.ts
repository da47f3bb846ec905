export default definePageConfig({ navigationBarTitleText: '长者档案' });
