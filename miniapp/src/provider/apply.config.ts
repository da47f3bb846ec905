export default definePageConfig({ navigationBarTitleText: '申请成为服务机构' });
