const tab = (pagePath: string, text: string, icon: string) => ({
  pagePath,
  text,
  iconPath: `assets/tab/${icon}-normal.png`,
  selectedIconPath: `assets/tab/${icon}-active.png`,
});

export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/market/index',
    'pages/orders/index',
    'pages/mine/index',
    'pages/neighbors/index',
    'pages/login/index',
  ],
  subPackages: [
    { root: 'membership', pages: ['index'] },
    { root: 'inbox', pages: ['index'] },
    {
      root: 'staff',
      pages: [
        'memberships',
        'proxy-links',
        'merchants',
        'payment-refunds',
        'lockers',
        'windows',
        'batches',
        'care-providers',
        'care-catalog',
        'care-bookings',
        'care-reports',
        'volunteers',
        'help-tasks',
        'activities',
        'teams',
        'emergencies',
        'checkins',
      ],
    },
    { root: 'family', pages: ['index', 'audit'] },
    { root: 'shop', pages: ['index', 'cart', 'order'] },
    { root: 'merchant', pages: ['orders', 'products', 'hours', 'stats', 'apply', 'requests'] },
    { root: 'courier', pages: ['batches', 'batch'] },
    { root: 'care', pages: ['index', 'item', 'booking', 'dashboard', 'meals', 'profile', 'access-log'] },
    { root: 'caregiver', pages: ['visits', 'visit'] },
    { root: 'provider', pages: ['apply', 'index', 'caregivers', 'caregiver', 'bookings', 'meals'] },
    { root: 'volunteer', pages: ['index', 'task', 'apply', 'bank', 'activities', 'emergency'] },
    { root: 'help', pages: ['index', 'new', 'task', 'emergency', 'settings'] },
    { root: 'neighbors', pages: ['post', 'edit', 'search'] },
    {
      root: 'community',
      pages: ['notices', 'notice', 'polls', 'poll', 'activities', 'activity', 'groups', 'group', 'alert'],
    },
    { root: 'requests', pages: ['index', 'new', 'detail'] },
    {
      root: 'office',
      pages: [
        'moderation',
        'words',
        'requests',
        'request',
        'stats',
        'notices',
        'alerts',
        'polls',
        'activities',
        'groups',
      ],
    },
  ],
  // Inject only the components a page renders (DevTools' 按需注入 check); Taro's pages render
  // through its own base templates, so nothing else needs a declaration change.
  lazyCodeLoading: 'requiredComponents',
  // WeChat requires the private-info APIs to be declared: the shop application picks its location,
  // and a caregiver's clock-in and clock-out record where they are.
  requiredPrivateInfos: ['chooseLocation', 'getLocation'],
  permission: { 'scope.userLocation': { desc: '用于确定店铺位置和配送范围，以及护理员上门打卡的位置' } },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'black',
    // On H5 too: every sub-page gets Taro's title bar with its back (or home) control.
    navigationStyle: 'default',
  },
  tabBar: {
    color: '#555555',
    selectedColor: '#1a7f4b',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      // Icons drawn by miniapp/scripts/tab-icons.mjs.
      tab('pages/index/index', '首页', 'home'),
      tab('pages/market/index', '集市', 'market'),
      // The feed is what residents browse, so it is a tab of its own (as on WeChat or Nextdoor);
      // 首页 stays "what is waiting for me" (locker codes, deliveries, help).
      tab('pages/neighbors/index', '邻里', 'neighbors'),
      tab('pages/orders/index', '订单', 'orders'),
      tab('pages/mine/index', '我的', 'mine'),
    ],
  },
});
