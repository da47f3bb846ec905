import type {
  BusinessHours,
  CARE_CERTIFICATIONS,
  CARE_PERFORMERS,
  MerchantCategory,
  Role,
  SizeHint,
  Temperature,
} from 'shared';

/**
 * The demo neighbourhood every fresh install gets (and the tests clone): one community, its
 * compounds, the accounts listed in the README, five shops with their products, a locker bank per
 * compound and two daily delivery windows, and the home-care programme (its catalogue, two
 * providers with their caregivers, an elder's profile). Data only; each module's seed step writes
 * its part.
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
  { phone: '13800000008', name: '何秀英', roles: ['merchant', 'provider'] },
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
  { phone: '13800000031', name: '孙主任', roles: ['provider'] },
  { phone: '13800000032', name: '刘护理', roles: ['caregiver'] },
  { phone: '13800000033', name: '王护士', roles: ['caregiver'] },
  { phone: '13800000040', name: '钱志愿', roles: ['resident'], household: 26 },
  { phone: '13800000041', name: '孙志愿', roles: ['resident'], household: 8 },
  { phone: '13800000042', name: '周志愿', roles: ['resident'], household: 14 },
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
    // Home services are not bought like cabbages: a resident asks for a visit through the
    // resident-requests module (报修), which this shop handles; the market links to it.
    products: [],
  },
];

// ---- home care ----------------------------------------------------------------------------------

type Certification = keyof typeof CARE_CERTIFICATIONS;

export interface DemoCareItem {
  code: string;
  name: string;
  description: string;
  durationMin: number;
  priceFen: number;
  performer: (typeof CARE_PERFORMERS)[number];
  certification: Certification | null;
  /** On the subsidised list (age-limited, vouchers apply); true unless said otherwise. */
  subsidised?: boolean;
  voucherPercent?: number;
  needsConfirmation?: boolean;
  bufferBeforeMin?: number;
  bufferAfterMin?: number;
  minNoticeMin: number;
  dailyCap: number;
  checklist: string[];
}

export interface DemoCareCategory {
  code: string;
  name: string;
  items: DemoCareItem[];
}

/**
 * The catalogue of the demo community's home-care programme (居家养老服务), after a Chengdu
 * community's published list: 6 categories, 20 items, prices in fen. Volunteer items are free and
 * open to every elder (the volunteers module serves them); the rest are on the subsidised list.
 */
export const DEMO_CARE_CATALOG: DemoCareCategory[] = [
  {
    code: 'meals',
    name: '助餐',
    items: [
      {
        code: 'meal_delivery',
        name: '助餐送餐上门',
        description: '从长者食堂取餐送到家中，少油少盐、软烂易嚼，可按饮食禁忌备餐。',
        durationMin: 30,
        priceFen: 1800,
        performer: 'caregiver',
        certification: null,
        minNoticeMin: 240,
        dailyCap: 10,
        checklist: [
          '核对长者姓名与餐食',
          '确认饮食禁忌（低盐、软食等）',
          '餐食摆放到位并提醒趁热食用',
          '回收上次的餐具',
        ],
      },
      {
        code: 'canteen_meal',
        name: '长者食堂陪同就餐',
        description: '上门接长者到社区长者食堂堂食，协助取餐就座，饭后送回家。',
        durationMin: 60,
        priceFen: 1500,
        performer: 'caregiver',
        certification: null,
        minNoticeMin: 240,
        dailyCap: 6,
        checklist: ['上门接长者前往长者食堂', '协助取餐与就座', '用餐后安全送回家中'],
      },
      {
        code: 'nutrition_plan',
        name: '营养膳食评估',
        description: '护士上门了解饮食与慢病情况，制定一周膳食建议，并向家属说明。',
        durationMin: 60,
        priceFen: 8000,
        performer: 'caregiver',
        certification: 'nurse',
        minNoticeMin: 1440,
        dailyCap: 3,
        checklist: [
          '了解近期饮食与体重变化',
          '测量身高体重，计算体质指数',
          '结合慢病情况制定一周膳食建议',
          '向家属说明注意事项',
        ],
      },
    ],
  },
  {
    code: 'daily_care',
    name: '生活照料',
    items: [
      {
        code: 'home_bathing',
        name: '上门助浴',
        description: '持证助浴员上门协助洗浴，自带防滑垫和洗浴椅，全程保暖防跌倒。',
        durationMin: 90,
        priceFen: 12000,
        performer: 'caregiver',
        certification: 'bathing',
        bufferBeforeMin: 15,
        bufferAfterMin: 15,
        minNoticeMin: 240,
        dailyCap: 3,
        checklist: [
          '测量血压，确认身体状况适合洗浴',
          '调节室温与水温（40℃左右）',
          '铺好防滑垫、放好洗浴椅，协助洗浴',
          '擦干更衣，检查皮肤有无破损',
          '清理浴室并记录洗浴情况',
        ],
      },
      {
        code: 'bath_centre',
        name: '助浴点洗浴',
        description: '陪同长者到社区助浴点洗浴，助浴点配有无障碍浴室和护理床。',
        durationMin: 120,
        priceFen: 6000,
        performer: 'caregiver',
        certification: 'bathing',
        bufferBeforeMin: 15,
        bufferAfterMin: 15,
        minNoticeMin: 480,
        dailyCap: 2,
        checklist: [
          '上门接长者并带好换洗衣物',
          '到助浴点协助洗浴',
          '擦干更衣、吹干头发',
          '送回家中并提醒补充水分',
        ],
      },
      {
        code: 'home_cleaning',
        name: '居家保洁',
        description: '卧室、客厅、厨房和卫生间的日常清洁，垃圾带走。',
        durationMin: 120,
        priceFen: 8000,
        performer: 'caregiver',
        certification: null,
        minNoticeMin: 240,
        dailyCap: 3,
        checklist: [
          '确认需要清洁的房间与重点',
          '清扫擦拭地面与家具',
          '清洁厨房灶台与卫生间',
          '整理垃圾并带下楼',
          '离开前检查燃气与门窗',
        ],
      },
      {
        code: 'laundry',
        name: '衣物洗涤',
        description: '换洗衣物、床单被套的分拣、洗涤、晾晒与收叠。',
        durationMin: 60,
        priceFen: 3000,
        performer: 'caregiver',
        certification: null,
        minNoticeMin: 240,
        dailyCap: 4,
        checklist: ['分拣深浅色与贴身衣物', '洗涤并晾晒', '收叠已干衣物并归位'],
      },
      {
        code: 'haircut',
        name: '上门理发',
        description: '上门理发修面，卧床长者也可以理。',
        durationMin: 45,
        priceFen: 2000,
        performer: 'caregiver',
        certification: null,
        minNoticeMin: 240,
        dailyCap: 6,
        checklist: ['围好围布，确认想要的发型', '理发、修面', '清理碎发并打扫地面'],
      },
    ],
  },
  {
    code: 'medical',
    name: '助医',
    items: [
      {
        code: 'hospital_escort',
        name: '陪同就医',
        description: '陪同到医院挂号、候诊、检查、取药，记录医嘱告知家属，送回家中。',
        durationMin: 240,
        priceFen: 10000,
        performer: 'caregiver',
        certification: 'caregiver',
        needsConfirmation: true,
        minNoticeMin: 1440,
        dailyCap: 1,
        checklist: [
          '提前确认挂号与就诊科室',
          '带好医保卡、病历与常用药',
          '陪同挂号、候诊、检查与取药',
          '记录医嘱并告知家属',
          '安全送回家中',
        ],
      },
      {
        code: 'medicine_pickup',
        name: '代取药品',
        description: '凭处方和医保卡到医院或药店代取慢病药品，送到家中核对用法。',
        durationMin: 90,
        priceFen: 3000,
        performer: 'caregiver',
        certification: null,
        minNoticeMin: 240,
        dailyCap: 4,
        checklist: ['核对处方与医保卡', '到医院或药店取药', '交给长者并核对药名和用法'],
      },
      {
        code: 'home_nursing',
        name: '上门护理（血压血糖监测）',
        description: '护士上门测量血压和指尖血糖，了解用药情况，数值异常及时告知家属。',
        durationMin: 45,
        priceFen: 5000,
        performer: 'caregiver',
        certification: 'nurse',
        needsConfirmation: true,
        minNoticeMin: 480,
        dailyCap: 6,
        checklist: [
          '询问近期身体状况与用药',
          '测量血压并记录',
          '测量指尖血糖并记录',
          '数值异常时告知家属并建议就医',
        ],
      },
      {
        code: 'dressing_change',
        name: '伤口换药',
        description: '护士上门为术后或压疮伤口清创、消毒并更换敷料。',
        durationMin: 30,
        priceFen: 6000,
        performer: 'caregiver',
        certification: 'nurse',
        needsConfirmation: true,
        minNoticeMin: 480,
        dailyCap: 6,
        checklist: [
          '洗手消毒，准备无菌换药包',
          '观察伤口有无红肿渗液',
          '清创消毒并更换敷料',
          '记录伤口情况，约定下次换药时间',
        ],
      },
      {
        code: 'rehab_exercise',
        name: '康复训练',
        description: '康复治疗师上门评估并指导关节活动、肌力、平衡与步态训练。',
        durationMin: 60,
        priceFen: 9000,
        performer: 'caregiver',
        certification: 'rehab',
        needsConfirmation: true,
        minNoticeMin: 1440,
        dailyCap: 4,
        checklist: ['评估关节活动度与肌力', '指导被动与主动训练', '平衡与步态练习', '布置居家练习并记录进展'],
      },
    ],
  },
  {
    code: 'companionship',
    name: '陪同',
    items: [
      {
        code: 'companionship',
        name: '陪伴聊天',
        description: '志愿者上门陪长者聊天、下棋、看老照片，排解孤单。',
        durationMin: 60,
        priceFen: 0,
        performer: 'volunteer',
        certification: null,
        subsidised: false,
        voucherPercent: 0,
        minNoticeMin: 240,
        dailyCap: 4,
        checklist: ['问候长者，了解近况与心情', '陪伴聊天或下棋', '留意异常情况并记录'],
      },
      {
        code: 'escorted_walk',
        name: '陪同散步外出',
        description: '志愿者陪长者在小区或附近公园散步，或外出办事、理发、逛菜市场。',
        durationMin: 90,
        priceFen: 0,
        performer: 'volunteer',
        certification: null,
        subsidised: false,
        voucherPercent: 0,
        minNoticeMin: 240,
        dailyCap: 3,
        checklist: ['出门前确认天气与衣着，带好水和药', '搀扶陪同，注意台阶与车辆', '安全送回家中'],
      },
      {
        code: 'reading_aloud',
        name: '读书读报',
        description: '志愿者为视力不好的长者读报纸、读书、念家人的来信和消息。',
        durationMin: 45,
        priceFen: 0,
        performer: 'volunteer',
        certification: null,
        subsidised: false,
        voucherPercent: 0,
        minNoticeMin: 240,
        dailyCap: 4,
        checklist: ['问长者想听什么内容', '读报或读书，语速放慢', '聊聊读到的内容'],
      },
    ],
  },
  {
    code: 'respite',
    name: '喘息服务',
    items: [
      {
        code: 'day_care',
        name: '日间照料（半日托）',
        description: '在社区日间照料中心照看半天，含午间点心和康乐活动，家人可以歇一歇。',
        durationMin: 240,
        priceFen: 8000,
        performer: 'caregiver',
        certification: 'caregiver',
        needsConfirmation: true,
        minNoticeMin: 1440,
        dailyCap: 1,
        checklist: [
          '接长者到日间照料中心',
          '测量血压体温',
          '安排点心、午休与康乐活动',
          '送回家中并向家属交代情况',
        ],
      },
      {
        code: 'temp_home_care',
        name: '临时居家照护',
        description: '家属外出或需要休息时，护理员上门照看半天：陪伴、助餐、如厕协助。',
        durationMin: 240,
        priceFen: 16000,
        performer: 'caregiver',
        certification: 'caregiver',
        needsConfirmation: true,
        minNoticeMin: 1440,
        dailyCap: 1,
        checklist: [
          '与家属交接作息、用药与注意事项',
          '按时提醒服药并协助进餐',
          '协助如厕与翻身，预防跌倒',
          '家属回来后交接照护情况',
        ],
      },
    ],
  },
  {
    code: 'errands',
    name: '跑腿代办',
    items: [
      {
        code: 'shopping_bills',
        name: '代购代缴',
        description: '志愿者代买日用品，代缴水电气费和电话费，票据交给长者。',
        durationMin: 60,
        priceFen: 0,
        performer: 'volunteer',
        certification: null,
        subsidised: false,
        voucherPercent: 0,
        minNoticeMin: 240,
        dailyCap: 4,
        checklist: ['列清单并确认所需金额', '代买或代缴', '交回物品、票据与找零，当面核对'],
      },
      {
        code: 'parcel_fetch',
        name: '代取快递和柜中订单',
        description: '志愿者代取快递、驿站包裹或小区生鲜柜里的订单，送到家门口。',
        durationMin: 30,
        priceFen: 0,
        performer: 'volunteer',
        certification: null,
        subsidised: false,
        voucherPercent: 0,
        minNoticeMin: 120,
        dailyCap: 6,
        checklist: ['核对取件码或柜门码', '取件并检查包装完好', '送到家中当面交给长者'],
      },
    ],
  },
];

/** The demo community's programme rules. */
export const DEMO_CARE_SETTINGS = {
  minAge: 80,
  monthlyVoucherFen: 20_000,
  voucherCapPercent: 50,
  freeCancelHours: 24,
  confirmWithinMin: 120,
  payWithinMin: 30,
};

export interface DemoCaregiver {
  phone: string;
  certifications: Certification[];
}

export interface DemoCareProvider {
  ownerPhone: string;
  name: string;
  licenseNo: string;
  contactPhone: string;
  description: string;
  servesMeals: boolean;
  caregivers: DemoCaregiver[];
}

/** Every demo caregiver's week: Monday to Saturday, 08:00–12:00 and 13:30–18:00 local time. */
export const DEMO_CAREGIVER_HOURS = [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
  { weekday, start: '08:00', end: '12:00' },
  { weekday, start: '13:30', end: '18:00' },
]);

/** Both verified and serving the demo community; the caregivers go to all three compounds. */
export const DEMO_CARE_PROVIDERS: DemoCareProvider[] = [
  {
    ownerPhone: '13800000031',
    name: '黌门街居家养老服务中心',
    licenseNo: '川民养证字510105-0032',
    contactPhone: '02886123456',
    description: '社区嵌入式居家养老服务机构，提供助浴、助洁、助医、上门护理和喘息服务，护理员均持证上岗。',
    servesMeals: false,
    caregivers: [
      { phone: '13800000005', certifications: ['caregiver', 'bathing', 'nurse'] },
      { phone: '13800000032', certifications: ['caregiver', 'bathing'] },
      { phone: '13800000033', certifications: ['nurse', 'rehab'] },
    ],
  },
  {
    ownerPhone: '13800000008',
    name: '黌门街长者食堂',
    licenseNo: 'JY25101050012345',
    contactPhone: '13558045678',
    description: '社区助餐点，工作日供应午餐和晚餐，可堂食也可送餐上门，助餐补贴按月抵扣。',
    servesMeals: true,
    caregivers: [],
  },
];

/** The demo elder's care profile (刘奶奶, household index 1; her son is her family proxy). */
export const DEMO_ELDER_PROFILES = [
  {
    phone: '13800000020',
    household: 1,
    healthNotes: '高血压，需低盐饮食',
    emergencyContacts: [{ name: '刘晓明', phone: '13800000021', relation: '儿子' }],
    livesAlone: true,
    dietaryNotes: '低盐',
  },
];

/**
 * The demo volunteers, verified, each at home in the compound of their household. Availability is
 * local time (weekday 0 = Sunday).
 */
export const DEMO_VOLUNTEERS = [
  {
    phone: '13800000004',
    realName: '赵志愿',
    idTail: '1234',
    household: 20,
    skills: ['errands', 'company', 'phone_teaching', 'locker_run', 'visit', 'escort'],
    availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMin: 8 * 60, endMin: 21 * 60 })),
    weeklyCapMin: 900,
  },
  {
    phone: '13800000040',
    realName: '钱志愿',
    idTail: '5678',
    household: 26,
    skills: ['errands', 'locker_run', 'cleaning'],
    availability: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMin: 18 * 60, endMin: 21 * 60 })),
    weeklyCapMin: 600,
  },
  {
    phone: '13800000041',
    realName: '孙志愿',
    idTail: '2468',
    household: 8,
    skills: ['company', 'phone_teaching', 'visit'],
    availability: [0, 6].map((weekday) => ({ weekday, startMin: 9 * 60, endMin: 17 * 60 })),
    weeklyCapMin: 480,
  },
  {
    phone: '13800000042',
    realName: '周志愿',
    idTail: '135X',
    household: 14,
    skills: ['errands', 'escort', 'locker_run', 'visit'],
    availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMin: 7 * 60, endMin: 12 * 60 })),
    weeklyCapMin: 600,
  },
];
