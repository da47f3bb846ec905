import type { BusinessHours, MerchantCategory, Role, SizeHint, Temperature } from 'shared';

/**
 * The demo neighbourhood every fresh install gets (and the tests clone): one community, its
 * compounds, the accounts listed in the README, five shops with their products, a locker bank per
 * compound and two daily delivery windows. Data only; each module's seed step writes its part.
 */

export const DEMO_COMMUNITY = '黌门街社区';
/** The compounds of the demo community with the position of their gates (all within ~1 km). */
export const DEMO_COMPOUNDS = [
  { name: '银杏院', lat: 30.6512, lng: 104.0583 },
  { name: '梧桐院', lat: 30.6538, lng: 104.0612 },
  { name: '玉兰院', lat: 30.6494, lng: 104.0629 },
] as const;
export const DEMO_BUILDINGS = ['1栋', '2栋'];
export const DEMO_UNITS = ['101', '102', '201', '202', '301', '302'];

export interface DemoAccount {
  phone: string;
  name: string;
  roles: Role[];
  birthDate?: string;
  /** index into the list of all households, for a verified membership */
  household?: number;
}

const RESIDENT_NAMES = ['陈静', '杨帆', '黄丽', '周杰', '吴敏', '徐磊', '孙悦', '马超', '朱琳', '胡军'];

/** The fixed demo accounts listed in the README. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { phone: '13800000001', name: '王社工', roles: ['staff'] },
  { phone: '13800000002', name: '李老板', roles: ['merchant'] },
  { phone: '13800000003', name: '张师傅', roles: ['courier'] },
  { phone: '13800000004', name: '赵志愿', roles: ['volunteer', 'resident'], household: 20 },
  { phone: '13800000005', name: '陈护理', roles: ['caregiver'] },
  { phone: '13800000006', name: '周建国', roles: ['merchant'] },
  { phone: '13800000007', name: '林晓燕', roles: ['merchant'] },
  { phone: '13800000008', name: '何秀英', roles: ['merchant'] },
  { phone: '13800000009', name: '郑师傅', roles: ['merchant'] },
  ...RESIDENT_NAMES.map((name, i) => ({
    phone: `138000000${10 + i}`,
    name,
    roles: ['resident'] as Role[],
    household: i * 3,
  })),
  { phone: '13800000020', name: '刘奶奶', roles: ['resident'], birthDate: '1940-03-15', household: 1 },
  { phone: '13800000021', name: '刘晓明', roles: ['resident'], household: 4 },
  { phone: '13800000030', name: '系统运维', roles: ['operator'] },
];

/** Per compound: 30 compartments, ambient the largest share; labels A01… per zone and size. */
export const DEMO_LOCKER_LAYOUT: {
  size: 'S' | 'M' | 'L';
  zone: 'ambient' | 'chilled' | 'frozen';
  count: number;
}[] = [
  { zone: 'ambient', size: 'S', count: 6 },
  { zone: 'ambient', size: 'M', count: 6 },
  { zone: 'ambient', size: 'L', count: 3 },
  { zone: 'chilled', size: 'S', count: 4 },
  { zone: 'chilled', size: 'M', count: 4 },
  { zone: 'chilled', size: 'L', count: 2 },
  { zone: 'frozen', size: 'S', count: 3 },
  { zone: 'frozen', size: 'M', count: 2 },
];

/** The two daily windows of the demo community, in local time. */
export const DEMO_WINDOWS = [
  { cutoffLocal: '14:00', deliveryLocal: '17:30', deliveryDayOffset: 0 },
  { cutoffLocal: '22:00', deliveryLocal: '10:00', deliveryDayOffset: 1 },
];

export interface DemoProduct {
  name: string;
  category: string;
  unit: string;
  priceFen: number;
  originalPriceFen?: number;
  stock: number;
  description?: string;
  perOrderLimit?: number;
  lowStockThreshold?: number;
  temperature?: Temperature;
  sizeHint?: SizeHint;
  onShelf?: boolean;
}

export interface DemoMerchant {
  ownerPhone: string;
  name: string;
  category: MerchantCategory;
  description: string;
  contactPhone: string;
  address: string;
  lat: number;
  lng: number;
  hours: BusinessHours;
  offersShopPickup: boolean;
  /** Null when the shop does not deliver to homes. */
  homeRadiusM: number | null;
  homeFeeFen: number;
  offersLocker: boolean;
  minOrderFen: number;
  products: DemoProduct[];
}

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
function daily(open: string, close: string, days: number[] = ALL_WEEK): BusinessHours {
  return { weekly: days.map((day) => ({ day, open, close })), closedDates: [] };
}

/**
 * The demo shops, all verified and serving the demo community. The produce shop takes online
 * orders around the clock (end-to-end tests order from it at any hour).
 */
export const DEMO_MERCHANTS: DemoMerchant[] = [
  {
    ownerPhone: '13800000002',
    name: '菜宅送',
    category: 'produce',
    description:
      '蒲江、郫都合作农场直供，当天采摘当天送达，比菜市场便宜约三分之一。下单后送到小区生鲜柜，下班顺路取。',
    contactPhone: '13980012345',
    address: '成都市青羊区黌门街18号',
    lat: 30.6521,
    lng: 104.0601,
    hours: daily('00:00', '24:00'),
    offersShopPickup: true,
    homeRadiusM: 3000,
    homeFeeFen: 300,
    offersLocker: true,
    minOrderFen: 1500,
    products: [
      {
        name: '本地小白菜',
        category: '蔬菜',
        unit: '斤',
        priceFen: 280,
        originalPriceFen: 380,
        stock: 300,
        temperature: 'chilled',
        sizeHint: 'M',
        description: '郫都基地当天采摘，叶嫩无虫眼',
      },
      {
        name: '沙瓤西红柿',
        category: '蔬菜',
        unit: '斤',
        priceFen: 450,
        originalPriceFen: 600,
        stock: 260,
        sizeHint: 'M',
      },
      {
        name: '顶花带刺黄瓜',
        category: '蔬菜',
        unit: '斤',
        priceFen: 320,
        stock: 240,
        temperature: 'chilled',
        sizeHint: 'M',
      },
      {
        name: '黄心土豆',
        category: '蔬菜',
        unit: '斤',
        priceFen: 190,
        originalPriceFen: 280,
        stock: 500,
        sizeHint: 'M',
      },
      { name: '二荆条青椒', category: '蔬菜', unit: '斤', priceFen: 400, stock: 180, sizeHint: 'S' },
      {
        name: '有机菠菜',
        category: '蔬菜',
        unit: '袋',
        priceFen: 680,
        stock: 120,
        perOrderLimit: 5,
        temperature: 'chilled',
        sizeHint: 'S',
        description: '每袋约500克',
      },
      {
        name: '红心莴笋',
        category: '蔬菜',
        unit: '斤',
        priceFen: 350,
        stock: 80,
        sizeHint: 'M',
        onShelf: false,
        description: '换季暂停供应',
      },
      {
        name: '攀枝花凯特芒',
        category: '水果',
        unit: '斤',
        priceFen: 990,
        originalPriceFen: 1280,
        stock: 150,
        sizeHint: 'M',
      },
      {
        name: '蒲江丑柑',
        category: '水果',
        unit: '斤',
        priceFen: 880,
        originalPriceFen: 1080,
        stock: 200,
        sizeHint: 'M',
      },
      { name: '红富士苹果', category: '水果', unit: '斤', priceFen: 650, stock: 220, sizeHint: 'M' },
      {
        name: '龙泉驿水蜜桃',
        category: '水果',
        unit: '盒',
        priceFen: 2990,
        originalPriceFen: 3590,
        stock: 3,
        perOrderLimit: 2,
        lowStockThreshold: 5,
        temperature: 'chilled',
        sizeHint: 'M',
        description: '每盒6个，单果约200克',
      },
      {
        name: '麒麟小西瓜',
        category: '水果',
        unit: '个',
        priceFen: 1880,
        stock: 60,
        perOrderLimit: 3,
        sizeHint: 'L',
      },
      {
        name: '农家土鸡蛋',
        category: '肉禽蛋',
        unit: '盒',
        priceFen: 3990,
        originalPriceFen: 4590,
        stock: 90,
        temperature: 'chilled',
        sizeHint: 'M',
        description: '每盒30枚，散养土鸡蛋',
      },
      {
        name: '黑猪前腿肉',
        category: '肉禽蛋',
        unit: '斤',
        priceFen: 1680,
        stock: 100,
        perOrderLimit: 5,
        temperature: 'chilled',
        sizeHint: 'S',
      },
      {
        name: '散养三黄鸡',
        category: '肉禽蛋',
        unit: '只',
        priceFen: 5800,
        stock: 0,
        temperature: 'chilled',
        sizeHint: 'L',
        description: '约2.5斤一只，宰杀处理干净',
      },
      {
        name: '冰鲜鲈鱼',
        category: '水产',
        unit: '条',
        priceFen: 2580,
        stock: 50,
        temperature: 'chilled',
        sizeHint: 'M',
        description: '约1斤一条，已去鳞去内脏',
      },
      {
        name: '冷冻虾仁',
        category: '水产',
        unit: '袋',
        priceFen: 3290,
        originalPriceFen: 3990,
        stock: 70,
        temperature: 'frozen',
        sizeHint: 'S',
        description: '每袋250克',
      },
      {
        name: '手工猪肉白菜水饺',
        category: '水产',
        unit: '袋',
        priceFen: 2200,
        stock: 80,
        temperature: 'frozen',
        sizeHint: 'S',
        description: '每袋40只',
      },
      {
        name: '巴氏鲜牛奶',
        category: '乳品',
        unit: '瓶',
        priceFen: 1290,
        stock: 120,
        temperature: 'chilled',
        sizeHint: 'S',
        description: '950毫升，本地牧场',
      },
      {
        name: '原味老酸奶',
        category: '乳品',
        unit: '盒',
        priceFen: 890,
        stock: 4,
        lowStockThreshold: 10,
        temperature: 'chilled',
        sizeHint: 'S',
        description: '每盒4杯',
      },
    ],
  },
  {
    ownerPhone: '13800000006',
    name: '惠民超市（黌门街店）',
    category: 'grocery',
    description: '米面粮油、日用百货一站买齐，满额送货上楼。',
    contactPhone: '13880023456',
    address: '成都市青羊区黌门街32号',
    lat: 30.6531,
    lng: 104.0574,
    hours: daily('07:00', '23:00'),
    offersShopPickup: true,
    homeRadiusM: 3000,
    homeFeeFen: 500,
    offersLocker: false,
    minOrderFen: 2000,
    products: [
      {
        name: '东北长粒香大米',
        category: '米面粮油',
        unit: '袋',
        priceFen: 3990,
        originalPriceFen: 4590,
        stock: 120,
        sizeHint: 'L',
        description: '5公斤装',
      },
      {
        name: '压榨一级花生油',
        category: '米面粮油',
        unit: '桶',
        priceFen: 6990,
        stock: 80,
        sizeHint: 'L',
        description: '5升装',
      },
      {
        name: '郫县红油豆瓣',
        category: '调味品',
        unit: '袋',
        priceFen: 990,
        stock: 200,
        sizeHint: 'S',
        description: '500克',
      },
      { name: '特级酿造生抽', category: '调味品', unit: '瓶', priceFen: 1290, stock: 150, sizeHint: 'S' },
      {
        name: '红烧牛肉面五连包',
        category: '方便速食',
        unit: '袋',
        priceFen: 1350,
        stock: 180,
        sizeHint: 'M',
      },
      {
        name: '黑芝麻汤圆',
        category: '方便速食',
        unit: '袋',
        priceFen: 1590,
        stock: 60,
        temperature: 'frozen',
        sizeHint: 'S',
        description: '500克',
      },
      {
        name: '纯牛奶整箱',
        category: '饮品',
        unit: '箱',
        priceFen: 5990,
        originalPriceFen: 6990,
        stock: 40,
        perOrderLimit: 2,
        sizeHint: 'L',
        description: '250毫升×24盒',
      },
      {
        name: '天然饮用水整箱',
        category: '饮品',
        unit: '箱',
        priceFen: 2800,
        stock: 100,
        sizeHint: 'L',
        description: '550毫升×24瓶',
      },
      {
        name: '原木抽纸',
        category: '日用百货',
        unit: '提',
        priceFen: 2490,
        stock: 90,
        sizeHint: 'L',
        description: '6包装',
      },
      {
        name: '深层洁净洗衣液',
        category: '日用百货',
        unit: '瓶',
        priceFen: 3990,
        originalPriceFen: 4990,
        stock: 70,
        sizeHint: 'M',
        description: '3公斤',
      },
    ],
  },
  {
    ownerPhone: '13800000007',
    name: '麦香坊烘焙',
    category: 'bakery',
    description: '每日现烤面包和西点，少糖配方，老人孩子都爱吃。生日蛋糕请提前一天预订。',
    contactPhone: '13678034567',
    address: '成都市青羊区黌门街45号附3号',
    lat: 30.6502,
    lng: 104.0598,
    hours: daily('07:00', '21:00'),
    offersShopPickup: true,
    homeRadiusM: 2000,
    homeFeeFen: 400,
    offersLocker: false,
    minOrderFen: 0,
    products: [
      { name: '全麦吐司', category: '面包', unit: '袋', priceFen: 1280, stock: 40, sizeHint: 'M' },
      { name: '黄油牛角可颂', category: '面包', unit: '个', priceFen: 880, stock: 60, sizeHint: 'S' },
      { name: '红豆面包', category: '面包', unit: '个', priceFen: 600, stock: 50, sizeHint: 'S' },
      { name: '法式长棍', category: '面包', unit: '根', priceFen: 1200, stock: 30, sizeHint: 'M' },
      {
        name: '肉松小贝',
        category: '西点',
        unit: '盒',
        priceFen: 1880,
        stock: 35,
        sizeHint: 'S',
        description: '每盒4个',
      },
      {
        name: '葡式蛋挞',
        category: '西点',
        unit: '盒',
        priceFen: 1600,
        stock: 45,
        sizeHint: 'S',
        description: '每盒4个',
      },
      {
        name: '老婆饼',
        category: '西点',
        unit: '盒',
        priceFen: 2200,
        stock: 25,
        sizeHint: 'S',
        description: '每盒6个',
      },
      {
        name: '重芝士蛋糕',
        category: '蛋糕',
        unit: '块',
        priceFen: 2800,
        stock: 20,
        temperature: 'chilled',
        sizeHint: 'S',
      },
      {
        name: '提拉米苏',
        category: '蛋糕',
        unit: '盒',
        priceFen: 3200,
        stock: 15,
        temperature: 'chilled',
        sizeHint: 'S',
      },
      {
        name: '6寸水果奶油蛋糕',
        category: '蛋糕',
        unit: '个',
        priceFen: 16800,
        originalPriceFen: 19800,
        stock: 2,
        perOrderLimit: 1,
        lowStockThreshold: 3,
        temperature: 'chilled',
        sizeHint: 'L',
        description: '请提前一天预订',
      },
    ],
  },
  {
    ownerPhone: '13800000008',
    name: '黌门街长者食堂',
    category: 'meals',
    description: '社区助餐点，少油少盐、软烂易嚼。80岁以上老人可享助餐补贴，食堂免费送餐上门。',
    contactPhone: '13558045678',
    address: '成都市青羊区黌门街社区党群服务中心一楼',
    lat: 30.6515,
    lng: 104.0608,
    hours: daily('10:00', '20:00'),
    offersShopPickup: true,
    homeRadiusM: 2000,
    homeFeeFen: 0,
    offersLocker: false,
    minOrderFen: 0,
    products: [
      {
        name: '两荤一素套餐',
        category: '套餐',
        unit: '份',
        priceFen: 1500,
        stock: 120,
        perOrderLimit: 5,
        description: '含米饭和例汤',
      },
      {
        name: '一荤两素套餐',
        category: '套餐',
        unit: '份',
        priceFen: 1200,
        stock: 150,
        perOrderLimit: 5,
        description: '含米饭和例汤',
      },
      {
        name: '软烂红烧肉套餐',
        category: '套餐',
        unit: '份',
        priceFen: 1800,
        stock: 60,
        perOrderLimit: 3,
        description: '慢炖两小时，入口即化',
      },
      {
        name: '清蒸鲈鱼套餐',
        category: '套餐',
        unit: '份',
        priceFen: 2000,
        stock: 40,
        perOrderLimit: 3,
        description: '已剔大刺',
      },
      { name: '番茄鸡蛋面', category: '面点', unit: '份', priceFen: 800, stock: 100, perOrderLimit: 5 },
      { name: '杂粮馒头', category: '面点', unit: '个', priceFen: 150, stock: 200 },
      { name: '小米南瓜粥', category: '粥汤', unit: '份', priceFen: 300, stock: 150 },
      { name: '鸡蛋羹', category: '粥汤', unit: '份', priceFen: 400, stock: 100 },
      { name: '时令素菜', category: '单点', unit: '份', priceFen: 500, stock: 120 },
      { name: '无糖豆浆', category: '粥汤', unit: '杯', priceFen: 200, stock: 150 },
    ],
  },
  {
    ownerPhone: '13800000009',
    name: '邻里快修',
    category: 'repairs',
    description: '水电维修、管道疏通、门锁家电，师傅上门服务。价格为人工费，材料按实际另计。',
    contactPhone: '13402056789',
    address: '成都市青羊区黌门街60号',
    lat: 30.6488,
    lng: 104.0612,
    hours: daily('09:00', '18:00', [1, 2, 3, 4, 5, 6]),
    offersShopPickup: false,
    homeRadiusM: 5000,
    homeFeeFen: 0,
    offersLocker: false,
    minOrderFen: 0,
    products: [
      {
        name: '上门更换水龙头',
        category: '水电维修',
        unit: '次',
        priceFen: 5000,
        stock: 20,
        perOrderLimit: 2,
      },
      {
        name: '疏通下水道',
        category: '管道疏通',
        unit: '次',
        priceFen: 8000,
        originalPriceFen: 10000,
        stock: 15,
        perOrderLimit: 1,
      },
      { name: '马桶维修', category: '管道疏通', unit: '次', priceFen: 6000, stock: 15, perOrderLimit: 1 },
      { name: '更换灯具灯管', category: '水电维修', unit: '次', priceFen: 3000, stock: 30, perOrderLimit: 3 },
      { name: '更换插座开关', category: '水电维修', unit: '次', priceFen: 3000, stock: 30, perOrderLimit: 3 },
      {
        name: '门锁更换锁芯',
        category: '门窗五金',
        unit: '次',
        priceFen: 12000,
        stock: 10,
        perOrderLimit: 1,
        description: '含C级锁芯',
      },
      {
        name: '纱窗更换',
        category: '门窗五金',
        unit: '平方米',
        priceFen: 8000,
        stock: 40,
        perOrderLimit: 10,
      },
      {
        name: '挂机空调清洗',
        category: '家电维修',
        unit: '次',
        priceFen: 8000,
        originalPriceFen: 9900,
        stock: 12,
        perOrderLimit: 3,
      },
      { name: '热水器检修', category: '家电维修', unit: '次', priceFen: 5000, stock: 10, perOrderLimit: 1 },
      {
        name: '家电上门检测',
        category: '家电维修',
        unit: '次',
        priceFen: 3000,
        stock: 25,
        perOrderLimit: 1,
        onShelf: false,
        description: '师傅休假，暂停接单',
      },
    ],
  },
];
