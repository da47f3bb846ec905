export default definePageConfig({ navigationBarTitleText: '请志愿者帮忙' });
