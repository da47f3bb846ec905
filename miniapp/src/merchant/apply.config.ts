export default definePageConfig({ navigationBarTitleText: '我要开店' });
