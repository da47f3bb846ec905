export default definePageConfig({ navigationBarTitleText: '家属代办' });
