export default definePageConfig({ navigationBarTitleText: '退款异常处理' });
