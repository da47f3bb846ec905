import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const PROCESS_SECRET = randomBytes(48).toString('base64url');

/**
 * The signing key of a development or embedded install without JWT_SECRET: random on first start,
 * then kept beside the embedded database (readable by its owner only), so sessions survive a
 * restart and no two installs share a key.
 */
export function persistedJwtSecret(pgliteDataDir: string): string {
  const file = join(dirname(pgliteDataDir), 'jwt-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Unset: the dev/start launcher runs embedded PGlite and fills this in. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
    /**
     * How long a Redis command made for an HTTP request (rate limit, replay check, enqueue) may take
     * before the request gives up with a 503: a paused Redis must not hold requests for its outage.
     */
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1500),
    // Connections each process keeps to PostgreSQL. A checkout holds one for its few round trips
    // while the event loop serves everyone else, so under load the pool, not the database, is the
    // limit; mind PostgreSQL's max_connections across every API and worker process.
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** BullMQ key prefix; tests give each file its own. */
    QUEUE_PREFIX: z.string().min(1).default('linli'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    AUTH_DEV_LOGIN: bool.optional(),
    WECHAT_APPID: z.string().min(1).default('wx-dev-appid'),
    WECHAT_SECRET: z.string().min(1).default('wx-dev-secret'),
    /** Unset in dev/test: a loopback fake of the WeChat server APIs is started. */
    WECHAT_API_BASE: z.url().optional(),
    /** Subscribe-message template ids from the WeChat console (审核结果通知). */
    WECHAT_TEMPLATE_REVIEW_RESULT: z.string().min(1).default('tmpl_review_result'),
    /** 订单状态通知: order accepted / rejected / refunded. */
    WECHAT_TEMPLATE_ORDER_STATUS: z.string().min(1).default('tmpl_order_status'),
    /** An unpaid order is cancelled (stock released) after this long. */
    ORDER_PAY_TIMEOUT_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(15 * 60),
    /** A refund request the merchant has not answered is approved after this long. */
    REFUND_AUTO_APPROVE_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(30 * 60),
    /** An order collected or handed over completes after this long (the after-sales window). */
    ORDER_COMPLETE_AFTER_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    /** How long a dropped order waits in its compartment free of charge. */
    LOCKER_FREE_HOURS: z.coerce.number().int().min(1).max(168).default(24),
    /** The fee shown for keeping it one more free window (once per order); recorded, not yet charged. */
    LOCKER_EXTENSION_FEE_FEN: z.coerce.number().int().min(0).max(100_00).default(200),
    /** Reminders: this long after the drop if not collected, and this long before the deadline. */
    LOCKER_REMINDER_MINUTES: z.coerce.number().int().min(1).max(1440).default(120),
    // ---- WeChat Pay v3 (JSAPI). A payer signed in with WeChat pays through it when configured;
    // anyone else gets devpay, which production never uses. Secrets: never logged or echoed. ----
    WECHATPAY_MCHID: z.string().min(1).optional(),
    /** The mini-program the payer pays in; WECHAT_APPID when unset. */
    WECHATPAY_APPID: z.string().min(1).optional(),
    /** Unset: https://api.mch.weixin.qq.com in production; the launcher starts the simulator in dev. */
    WECHATPAY_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
    /** The merchant API private key (apiclient_key.pem), inline or as a file path. */
    WECHATPAY_PRIVATE_KEY: z.string().min(1).optional(),
    WECHATPAY_PRIVATE_KEY_PATH: z.string().min(1).optional(),
    /** Serial number of the merchant API certificate. */
    WECHATPAY_CERT_SERIAL: z.string().min(1).optional(),
    WECHATPAY_APIV3_KEY: z.string().length(32, 'must be the 32-character APIv3 key').optional(),
    /** How WeChat Pay's answers and notifications are verified: its public key or platform certificates. */
    WECHATPAY_VERIFY_MODE: z.enum(['public_key', 'platform_certificate']).default('public_key'),
    WECHATPAY_PUBLIC_KEY: z.string().min(1).optional(),
    WECHATPAY_PUBLIC_KEY_PATH: z.string().min(1).optional(),
    /** PUB_KEY_ID_...: what Wechatpay-Serial carries in public-key mode. */
    WECHATPAY_PUBLIC_KEY_ID: z.string().min(1).optional(),
    /** Public origin WeChat Pay posts notifications to (https in production), e.g. https://api.example.cn */
    WECHATPAY_NOTIFY_BASE: z.url({ protocol: /^https?$/ }).optional(),
    TZ_DISPLAY: z.string().min(1).default('Asia/Shanghai'),
    /**
     * Which proxies may set X-Forwarded-For: 'false' (default) trusts none, 'true' any, or a list
     * of addresses/CIDRs ('127.0.0.1,10.0.0.0/8') trusts those.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | string[] =>
        v === 'false' ? false : v === 'true' ? true : v.split(',').map((a) => a.trim()),
      ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    /**
     * A locker panel waits about 10 s for our answer, then gives up without opening: a pickup not
     * committed within this of its arrival is refused and spends nothing.
     */
    DEVICE_ANSWER_BUDGET_MS: z.coerce.number().int().min(200).max(60_000).default(8_000),
    /** Family-proxy requests one person may send per hour. */
    PROXY_LINK_REQUESTS_PER_HOUR: z.coerce.number().int().min(1).default(10),
    NOTIFY_WECHAT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Sizes of the offer waves for a help task (the last wave then goes to everyone qualified on duty). */
    VOLUNTEER_WAVE_SIZES: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'must be comma-separated counts, e.g. 3,5')
      .default('3,5')
      .transform((s) => s.split(',').map(Number)),
    /** How long each wave has to answer before the next goes out. */
    VOLUNTEER_WAVE_MINUTES: z.coerce.number().int().min(1).max(720).default(10),
    /** Staff are told this long before a task's deadline if nobody has taken it. */
    VOLUNTEER_STAFF_BEFORE_DEADLINE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    /** The elder's side of a task's hours confirms itself after this unless disputed. */
    VOLUNTEER_HOURS_AUTO_CONFIRM_HOURS: z.coerce.number().int().min(1).max(720).default(48),
    /** One-tap emergency help escalates this often until staff acknowledge. */
    EMERGENCY_ESCALATE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    // ---- neighbors (posts, moderation) ----
    /** A member is new (rate-limited, no links, few images) for this many days after verification. */
    NEIGHBOR_NEW_MEMBER_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    /** A post removed by staff makes its author new again for this many days. */
    NEIGHBOR_REMOVAL_PROBATION_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    /** Posts a new member may publish per rolling 24 hours. */
    NEIGHBOR_NEW_MEMBER_POSTS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(3),
    /** Comments a new member may write per rolling 24 hours. */
    NEIGHBOR_NEW_MEMBER_COMMENTS_PER_DAY: z.coerce.number().int().min(0).max(10_000).default(20),
    /** Images a new member may attach to one post (everyone else: 9). */
    NEIGHBOR_NEW_MEMBER_MAX_IMAGES: z.coerce.number().int().min(0).max(9).default(3),
    /** Distinct verified members whose reports hide a post or comment until staff review it. */
    NEIGHBOR_REPORT_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(3),
    /** Ask WeChat's content security (msgSecCheck) before publishing; off: only the word list. */
    NEIGHBOR_WECHAT_CHECK: bool.default(true),
    // ---- community office (notices, alerts, polls, activities) ----
    /** Members one urgent-alert (and notice) fan-out job writes inbox rows for, in one INSERT ... SELECT. */
    COMMUNITY_FANOUT_CHUNK_SIZE: z.coerce.number().int().min(50).max(20_000).default(1000),
    /** An urgent alert shows as a banner to members who have not acknowledged it for this long. */
    COMMUNITY_ALERT_LIVE_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    // ---- resident requests ----
    /** A resident request must be answered (a handler accepted, or staff replied) within this, unless the community set its own. */
    REQUEST_RESPOND_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    /** ... and resolved within this from when it was raised (from a reopen after one). */
    REQUEST_RESOLVE_HOURS: z.coerce.number().int().min(1).max(2160).default(72),
    /** A resolved request the resident neither rated nor reopened closes itself after this many days. */
    REQUEST_AUTO_CLOSE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    /** Requests one resident may have waiting for dispatch at once (a flood helps nobody get an answer). */
    REQUEST_MAX_OPEN_PER_RESIDENT: z.coerce.number().int().min(1).max(1000).default(10),
    /** How often the worker re-arms the time limits of open requests whose jobs went missing. */
    REQUEST_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /**
     * The same interval in milliseconds, taking precedence when set: the multi-process test watches
     * the scheduler tick (once per tick however many workers run) without waiting minutes.
     */
    REQUEST_SWEEP_EVERY_MS: z.coerce.number().int().min(100).max(86_400_000).optional(),
    /** A request (headers and body) must have arrived within this; slower ones get 408. */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
    /**
     * On SIGTERM the API keeps serving this long while /readyz answers 503 and every response says
     * `Connection: close`, so a load balancer moves its traffic away before the listener closes
     * (a rolling restart drops nothing). Unset: 5 s in production (a few health-check intervals
     * of a typical balancer), none elsewhere.
     */
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).optional(),
    /**
     * Bearer token Prometheus sends to scrape /metrics. Unset: /metrics answers 404 (production
     * should set it; the metrics carry queue sizes and route timings, not for the public).
     */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(256 * 1024),
    /** Directory of the built H5 app that `pnpm start` serves from the BFF's origin. */
    H5_DIST_DIR: z.string().optional(),
    PGLITE_DATA_DIR: z.string().default('.data/pglite'),
    /** Where the built-in store keeps uploaded images (beside the embedded database by default). */
    UPLOAD_STORE: z.enum(['local', 's3']).default('local'),
    UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
    /** The largest image file accepted, as sent (it is re-encoded smaller). */
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(40 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /**
     * The most pixels an image may claim before it is decoded: a small file can declare a huge
     * canvas (a decompression bomb). 50 MP still takes a 48 MP phone photo.
     */
    UPLOAD_MAX_PIXELS: z.coerce.number().int().min(10_000).max(268_402_689).default(50_000_000),
    /** How long a signed image URL works. S3 presigned URLs allow at most 7 days. */
    UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(900),
    /** Key of the signed image URLs; unset, it is derived from JWT_SECRET (so every instance agrees). */
    UPLOAD_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** S3-compatible object storage (UPLOAD_STORE=s3). Endpoint unset: AWS itself. */
    S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    /** Unset: the SDK's own credential chain (instance role, environment, profile). */
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Path-style URLs (endpoint/bucket/key), which MinIO and most self-hosted servers want. */
    S3_FORCE_PATH_STYLE: bool.default(false),
  })
  .superRefine((c, ctx) => {
    if (c.UPLOAD_STORE === 's3' && !c.S3_BUCKET)
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when UPLOAD_STORE=s3' });
    if (!c.S3_ACCESS_KEY_ID !== !c.S3_SECRET_ACCESS_KEY)
      ctx.addIssue({
        code: 'custom',
        path: [c.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'must be set together with its pair',
      });
    if (c.WECHATPAY_MCHID) {
      const need: [keyof typeof c, boolean][] = [
        ['WECHATPAY_PRIVATE_KEY', !c.WECHATPAY_PRIVATE_KEY && !c.WECHATPAY_PRIVATE_KEY_PATH],
        ['WECHATPAY_CERT_SERIAL', !c.WECHATPAY_CERT_SERIAL],
        ['WECHATPAY_APIV3_KEY', !c.WECHATPAY_APIV3_KEY],
        ['WECHATPAY_NOTIFY_BASE', !c.WECHATPAY_NOTIFY_BASE],
        [
          'WECHATPAY_PUBLIC_KEY',
          c.WECHATPAY_VERIFY_MODE === 'public_key' && !c.WECHATPAY_PUBLIC_KEY && !c.WECHATPAY_PUBLIC_KEY_PATH,
        ],
        ['WECHATPAY_PUBLIC_KEY_ID', c.WECHATPAY_VERIFY_MODE === 'public_key' && !c.WECHATPAY_PUBLIC_KEY_ID],
      ];
      for (const [key, missing] of need)
        if (missing)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required with WECHATPAY_MCHID${key.endsWith('_KEY') && key !== 'WECHATPAY_APIV3_KEY' ? ' (or its _PATH)' : ''}`,
          });
    }
    if (c.NODE_ENV === 'production') {
      // devpay confirms a payment on the payer's word: production takes money only through WeChat Pay
      // (with WECHATPAY_MCHID the block above demands the rest).
      if (!c.WECHATPAY_MCHID)
        ctx.addIssue({
          code: 'custom',
          path: ['WECHATPAY_MCHID'],
          // devpay is never used there: without WeChat Pay nobody could pay.
          message: 'is required in production',
        });
      if (c.WECHATPAY_NOTIFY_BASE && !c.WECHATPAY_NOTIFY_BASE.startsWith('https://'))
        ctx.addIssue({
          code: 'custom',
          path: ['WECHATPAY_NOTIFY_BASE'],
          message: 'must be an https:// origin in production (WeChat Pay posts only to https)',
        });
      if (c.AUTH_DEV_LOGIN)
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_DEV_LOGIN'],
          message: 'must be off in production (dev login lets anyone in by phone number)',
        });
      if (!c.JWT_SECRET)
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
      if (!c.DATABASE_URL)
        ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production' });
      if (!c.WECHAT_API_BASE)
        ctx.addIssue({ code: 'custom', path: ['WECHAT_API_BASE'], message: 'is required in production' });
    }
  })
  .transform((c) => ({
    ...c,
    AUTH_DEV_LOGIN: c.AUTH_DEV_LOGIN ?? c.NODE_ENV !== 'production',
    // Never a constant in the source (a token signed with it would be accepted anywhere the variable
    // was forgotten). The launcher keeps one with the embedded data so logins survive a restart;
    // any other process without one gets its own random key.
    JWT_SECRET: c.JWT_SECRET ?? PROCESS_SECRET,
    SHUTDOWN_DRAIN_MS: c.SHUTDOWN_DRAIN_MS ?? (c.NODE_ENV === 'production' ? 5000 : 0),
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment once; a bad or missing value names the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(ConfigSchema.in.shape);
  const picked = Object.fromEntries(known.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`));
  }
  return parsed.data;
}
