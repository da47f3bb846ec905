import { formatYuan, MAX_ORDER_TOTAL_FEN } from 'shared';

/**
 * What each error code the BFF sends means, for a person: the BFF's own messages are English and
 * meant for logs. A page whose action needs a more specific sentence passes its own for that code
 * (see `describeError`); the codes the app makes itself (NETWORK_ERROR, INVALID_RESPONSE, ...) carry
 * their Chinese message already and are not listed. `error-text.test.ts` fails when the BFF sends a
 * code missing here, or when a code here is one it no longer sends.
 */
export const ERROR_TEXT = {
  // Requests the BFF could not take as sent.
  VALIDATION_FAILED: '填写的内容有误，请检查后再提交',
  INPUT_TOO_DEEP: '提交的内容格式不正确，请检查后重试',
  BAD_REQUEST: '请求有误，请刷新后重试',
  BAD_URL: '页面地址有误，请返回后重试',
  URI_TOO_LONG: '页面地址过长，请返回后重试',
  INVALID_JSON: '提交的内容格式不正确，请刷新后重试',
  UNSUPPORTED_MEDIA_TYPE: '提交的内容格式不受支持，请更新小程序后重试',
  PAYLOAD_TOO_LARGE: '提交的内容太大，请精简后再试',
  HEADERS_TOO_LARGE: '请求信息过大，请重新登录后再试',
  REQUEST_TIMEOUT: '网络较慢，请求超时，请稍后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INTERNAL: '服务器开小差了，请稍后重试',
  SERVICE_UNAVAILABLE: '系统繁忙，请稍后重试',
  NOT_FOUND: '没有找到，可能已被删除，请刷新',
  FORBIDDEN: '没有权限进行此操作',
  READ_ONLY: '这里只能查看，不能修改',
  IDEMPOTENCY_KEY_REUSED: '订单内容有变化，请重新提交',

  // Database rules a change ran into.
  ALREADY_EXISTS: '已经存在，请勿重复提交',
  CONFLICT: '与已有的安排冲突，请调整后再试',
  CONSTRAINT_VIOLATED: '这项修改不符合规则，请检查后再试',
  REFERENCE_MISSING: '关联的内容已不存在，请刷新后重试',

  // Signing in, and acting for an elder.
  UNAUTHORIZED: '请先登录',
  TOKEN_INVALID: '登录已过期，请重新登录',
  REFRESH_INVALID: '登录已过期，请重新登录',
  WECHAT_CODE_INVALID: '微信登录已失效，请重新登录',
  WECHAT_RATE_LIMITED: '微信登录太频繁，请一分钟后再试',
  WECHAT_USER_BLOCKED: '微信提示该账号存在风险，暂时不能登录',
  WECHAT_NOT_SUBSCRIBED: '您还没有订阅这条微信通知',
  WECHAT_REJECTED: '微信暂时无法处理，请稍后重试',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后重试',
  PROXY_NOT_ALLOWED: '代办时不能进行此操作，请退出代办后再试',
  PROXY_LINK_EXISTS: '您已向这个号码发出过申请',
  PROXY_LINK_SELF: '不能为自己代办',
  PROXY_LINK_NOT_PENDING: '这个申请已经处理过了，请刷新',
  PROXY_LINK_REVOKED: '代办关系已经解除了，请刷新',

  // Households and shops under review.
  MEMBERSHIP_EXISTS: '您已提交过这个住址的认证申请',
  MEMBERSHIP_ALREADY_REVIEWED: '这个申请已经审核过了，请刷新',
  MERCHANT_EXISTS: '您已经申请过店铺了',
  MERCHANT_STATE: '店铺当前的状态不能这样操作，请刷新',
  MERCHANT_ALREADY_VERIFIED: '这家店铺已经审核过了，请刷新',

  // Placing and paying orders.
  STOCK_INSUFFICIENT: '库存不足，请减少数量或稍后再试',
  SHOP_CLOSED: '商家休息中，暂不接单',
  MERCHANT_UNAVAILABLE: '该商家暂不在本社区营业',
  BELOW_MINIMUM: '未达到商家的起送金额',
  PER_ORDER_LIMIT: '超出每单限购数量',
  ORDER_TOTAL_TOO_HIGH: `单笔订单金额不能超过 ${formatYuan(MAX_ORDER_TOTAL_FEN)}，请减少数量或分开下单`,
  PRODUCT_UNAVAILABLE: '商品已下架或不在售',
  DELIVERY_UNAVAILABLE: '商家不支持所选的配送方式',
  OUT_OF_RANGE: '收货地址超出商家的配送范围',
  ORDER_STATE_CHANGED: '订单状态已变化，请刷新',
  PAYMENT_EXPIRED: '已超过付款时间，订单将自动取消',
  REFUND_NOT_ALLOWED: '当前订单状态不能申请退款',
  REFUND_EXISTS: '已提交过退款申请，请等待商家处理',
  REFUND_ALREADY_DECIDED: '这个退款申请已经处理过了，请刷新',

  // Handing orders over at the shop.
  ORDER_NOT_PACKED: '这个订单还没有备货完成，请先点「备货完成」再核销',
  PICKUP_AT_LOCKER: '这个订单需到生鲜柜取货，不能在店核销',
  PICKUP_CODE_INVALID: '取货码不正确',
  PICKUP_CODE_LOCKED: '取货码连续输错次数过多，核销已暂停 10 分钟，请稍后再试',

  // Lockers: checkout, the courier's round, the resident at the panel.
  LOCKER_FULL: '所选生鲜柜在这个时段已没有合适的空格口，请换一个生鲜柜、时段或配送方式',
  WINDOW_CLOSED: '这个配送时段已截单，请选择其他时段',
  LOCKER_UNAVAILABLE: '所选生鲜柜暂停使用，请换一个生鲜柜或配送方式',
  BATCH_STATE_CHANGED: '这个批次的状态已变化，请刷新',
  BATCH_NOT_STARTED: '请先点「开始配送」再确认投递',
  NOT_IN_MANIFEST: '这个格口没有待投递的订单，请刷新清单',
  NOT_OVERDUE: '这个订单不需要取回了，请刷新清单',
  COMPARTMENT_TAKEN: '格口刚被占用，请刷新后重试',
  COMPARTMENT_IN_USE: '这个格口有订单正在使用，暂时不能停用',
  COMPARTMENT_STATE_CHANGED: '这个格口已经停用了，请刷新清单',
  NOT_IN_LOCKER: '这个订单不在生鲜柜里',
  ALREADY_EXTENDED: '已经延长过一次保管，不能再延长',
  CODE_ENTRY_LOCKED: '该生鲜柜取件暂时锁定，请稍后再试',
  DEVICE_UNAUTHORIZED: '柜机验证失败，请联系社区工作人员',
  DEVICE_REQUEST_EXPIRED: '柜机响应超时，没有开柜，请重试',

  // Photos (a refund's evidence).
  UPLOAD_NOT_MULTIPART: '照片上传失败，请重新选择照片',
  UPLOAD_MALFORMED: '照片上传不完整，请重试',
  UPLOAD_UNEXPECTED_FIELD: '只能上传图片文件',
  UPLOAD_NO_FILES: '请先选择照片',
  UPLOAD_EMPTY_FILE: '有一张照片是空的，请重新选择',
  UPLOAD_TOO_LARGE: '照片太大了，请换一张或压缩后再传',
  UPLOAD_TOO_MANY_FILES: '一次上传的照片太多了，请分几次上传',
  UPLOAD_TOO_MANY_PIXELS: '照片像素过高，请换一张或截图后再传',
  UPLOAD_TYPE_UNSUPPORTED: '只能上传 JPG、PNG 或 WebP 格式的图片',
  UPLOAD_HEIC_UNSUPPORTED: '暂不支持 HEIC 格式的照片，请换成 JPG 或截图后上传',
  UPLOAD_IMAGE_CORRUPT: '照片已损坏或不完整，请换一张',
  UPLOAD_NOT_AVAILABLE: '有照片已失效，请重新上传',
  UPLOAD_ATTACHED: '这张照片已随申请提交，不能删除',
  UPLOAD_LINK_INVALID: '图片链接无效，请刷新页面',
  UPLOAD_LINK_EXPIRED: '图片链接已过期，请刷新页面',

  // Care providers, caregivers and visits (the provider's, caregiver's and staff's consoles).
  CARE_PROVIDER_EXISTS: '您已经申请过服务机构了',
  CARE_PROVIDER_NOT_FOUND: '您还没有服务机构，请先提交机构申请',
  CARE_PROVIDER_NOT_VERIFIED: '机构还没有通过社区审核，暂时不能进行此操作',
  CARE_PROVIDER_ALREADY_REVIEWED: '这家机构已经审核过了，请刷新',
  CAREGIVER_EXISTS: '这位护理员已经在您的机构里了',
  CAREGIVER_TAKEN: '这个手机号已是其他机构的护理员，不能重复添加',
  CARE_BOOKING_NOT_REQUESTED: '这个预约已经确认过或已取消，请刷新',
  SLOT_TAKEN: '这个时间刚刚被约走了，请换一个时间',
  CARE_BOOKING_NOT_CHANGEABLE: '这个预约已开始、已完成或已取消，不能再修改',
  CARE_ITEM_BY_VOLUNTEERS: '这项服务由志愿者安排，不能直接向机构预约',
  CARE_NOTHING_TO_PAY: '这个预约没有需要支付的费用',
  CARE_NOTICE_TOO_SHORT: '离服务开始太近了，请选择更晚的时间',
  CARE_NOT_ELIGIBLE: '补贴服务仅面向登记了出生日期、达到年龄的长者',
  CARE_VISIT_ALREADY_RATED: '这次服务已经评价过了',
  CARE_VISIT_NOT_COMPLETED: '服务完成后才能评价',
  ELDER_HOUSEHOLD_MISSING: '长者还没有通过住户认证，请先完成住户认证',
  VOUCHER_BALANCE_CHANGED: '服务券余额刚刚有变化，请重新提交',
  MEAL_CUTOFF_PASSED: '这一餐已经截止，不能再更改',
  MEAL_NOT_PLANNED: '这一天没有订这一餐',
  MEAL_SKIP_TOO_FAR: '只能请假 60 天以内的餐',
  CARE_ITEM_CODE_TAKEN: '已有服务项目使用这个编号，请换一个',
  STAFF_NO_COMMUNITY: '您还没有负责的社区，请联系系统管理员',
  VISIT_NOT_CONFIRMED: '机构还没有确认这次服务，暂时不能打卡',
  VISIT_NOT_STARTED: '请先点「上门打卡」签到',
  VISIT_IN_SERVICE: '已经签到过了，服务进行中',
  VISIT_COMPLETED: '这次服务已经完成了，请刷新',
  VISIT_CANCELLED: '这次服务已被取消，请刷新',
  VISIT_NO_SHOW: '这次服务已记为未上门或老人不在家',
  VISIT_TOO_EARLY: '还没到打卡时间：服务开始前 15 分钟起才能上门打卡',
  VISIT_NOT_DUE: '服务开始时间到了以后，才能登记老人不在家',
  VISIT_PHOTOS_FULL: '这次服务的照片已达上限，不能再添加',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_TEXT;
