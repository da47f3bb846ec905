export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/market/index',
    'pages/orders/index',
    'pages/mine/index',
    'pages/login/index',
  ],
  subPackages: [
    { root: 'membership', pages: ['index'] },
    { root: 'inbox', pages: ['index'] },
    { root: 'staff', pages: ['memberships', 'proxy-links', 'merchants', 'lockers', 'windows', 'batches'] },
    { root: 'family', pages: ['index', 'audit'] },
    { root: 'shop', pages: ['index', 'cart', 'order'] },
    { root: 'merchant', pages: ['orders', 'products', 'hours', 'stats', 'apply'] },
    { root: 'courier', pages: ['batches', 'batch'] },
  ],
  // WeChat requires the private-info APIs to be declared: the shop application picks its location.
  requiredPrivateInfos: ['chooseLocation'],
  permission: { 'scope.userLocation': { desc: '用于确定店铺位置和配送范围' } },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    color: '#555555',
    selectedColor: '#1a7f4b',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/market/index', text: '集市' },
      { pagePath: 'pages/orders/index', text: '订单' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
});
