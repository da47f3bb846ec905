export default definePageConfig({ navigationBarTitleText: '居民审核' });
