import { z } from 'zod';
import { careBookingFlow, careProviderFlow } from '../state/flows';
import { Id, LocalDate, Phone, QueryBool } from './common';
import { ImageRef } from './uploads';

/** Who carries out an item: a provider's caregiver, or a volunteer (the volunteers module). */
export const CARE_PERFORMERS = ['caregiver', 'volunteer'] as const;
export const CarePerformer = z.enum(CARE_PERFORMERS);
export const MEAL_KINDS = ['lunch', 'dinner'] as const;
export const MealKind = z.enum(MEAL_KINDS);
export type MealKind = z.infer<typeof MealKind>;
export const MEAL_MODES = ['dine_in', 'delivery'] as const;
export const MealMode = z.enum(MEAL_MODES);
export const MEAL_KIND_LABELS: Record<MealKind, string> = { lunch: '午餐', dinner: '晚餐' };
export const MEAL_MODE_LABELS = { dine_in: '堂食', delivery: '送餐上门' } as const;

/** Certifications an item may require, with their Chinese names. */
export const CARE_CERTIFICATIONS = {
  nurse: '护士执业证',
  caregiver: '养老护理员证',
  bathing: '助浴培训',
  rehab: '康复治疗师',
  haircut: '美发证',
  driving: '驾驶证',
} as const;
export const CareCertification = z.enum(
  Object.keys(CARE_CERTIFICATIONS) as [
    keyof typeof CARE_CERTIFICATIONS,
    ...(keyof typeof CARE_CERTIFICATIONS)[],
  ],
);

export const CareBookingStatus = z.enum(careBookingFlow.states);
export type CareBookingStatus = z.infer<typeof CareBookingStatus>;
export const CARE_BOOKING_STATUS_LABELS: Record<CareBookingStatus, string> = {
  requested: '待机构确认',
  confirmed: '已确认',
  in_service: '服务中',
  completed: '已完成',
  cancelled: '已取消',
  no_show: '未上门',
};
export const CareProviderStatus = z.enum(careProviderFlow.states);
export const CARE_PROVIDER_STATUS_LABELS: Record<z.infer<typeof CareProviderStatus>, string> = {
  pending: '待审核',
  verified: '已认证',
  rejected: '未通过',
  suspended: '已暂停',
};

/** An instant on the wire: ISO 8601 with an offset, stored as UTC. */
export const Instant = z.iso.datetime({ offset: true });

const Text = (max: number) => z.string().trim().max(max);
const Name = z.string().trim().min(1, 'must not be empty').max(40);

// ---- catalogue ----------------------------------------------------------------------------------

export const CareItem = z.object({
  id: Id,
  categoryId: Id,
  code: z.string(),
  name: z.string(),
  description: z.string(),
  durationMin: z.number().int(),
  priceFen: z.number().int(),
  performer: CarePerformer,
  certification: z.string().nullable(),
  subsidised: z.boolean(),
  voucherPercent: z.number().int(),
  needsConfirmation: z.boolean(),
  bufferBeforeMin: z.number().int(),
  bufferAfterMin: z.number().int(),
  minNoticeMin: z.number().int(),
  dailyCap: z.number().int(),
  checklist: z.array(z.string()),
  active: z.boolean(),
});
export type CareItem = z.infer<typeof CareItem>;

export const CareCategory = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  sort: z.number().int(),
  items: z.array(CareItem),
});
export type CareCategory = z.infer<typeof CareCategory>;

export const CareCatalog = z.object({
  categories: z.array(CareCategory),
  /** The acting elder's standing: whether the subsidised list is open to them, and why not. */
  eligibility: z.object({
    eligible: z.boolean(),
    minAge: z.number().int(),
    age: z.number().int().nullable(),
  }),
});

export const UpdateCareItemBody = z
  .object({
    name: Name,
    description: Text(500),
    durationMin: z.number().int().min(15).max(720),
    priceFen: z.number().int().min(0).max(1_000_000),
    certification: CareCertification.nullable(),
    subsidised: z.boolean(),
    voucherPercent: z.number().int().min(0).max(100),
    needsConfirmation: z.boolean(),
    bufferBeforeMin: z.number().int().min(0).max(240),
    bufferAfterMin: z.number().int().min(0).max(240),
    minNoticeMin: z.number().int().min(0).max(20_160),
    dailyCap: z.number().int().min(1).max(50),
    checklist: z.array(Text(60).min(1)).max(20),
    active: z.boolean(),
    categoryId: Id,
  })
  .partial()
  .strict();
export const CreateCareItemBody = z
  .object({
    categoryId: Id,
    code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _'),
    name: Name,
    durationMin: z.number().int().min(15).max(720),
    priceFen: z.number().int().min(0).max(1_000_000),
    performer: CarePerformer.default('caregiver'),
  })
  .extend(UpdateCareItemBody.omit({ categoryId: true, name: true, durationMin: true, priceFen: true }).shape)
  .strict();
export const UpdateCareCategoryBody = z
  .object({ name: Name, sort: z.number().int().min(0).max(100) })
  .partial()
  .strict();

export const CareSettings = z.object({
  communityId: Id,
  minAge: z.number().int(),
  monthlyVoucherFen: z.number().int(),
  voucherCapPercent: z.number().int(),
  freeCancelHours: z.number().int(),
  confirmWithinMin: z.number().int(),
  /** Minutes a family has to pay a booking's self-pay before it is cancelled and its time freed. */
  payWithinMin: z.number().int(),
});
export const UpdateCareSettingsBody = z
  .object({
    minAge: z.number().int().min(50).max(120),
    monthlyVoucherFen: z.number().int().min(0).max(1_000_000),
    voucherCapPercent: z.number().int().min(0).max(100),
    freeCancelHours: z.number().int().min(0).max(168),
    confirmWithinMin: z.number().int().min(10).max(1440),
    payWithinMin: z.number().int().min(5).max(1440),
  })
  .partial()
  .strict();

// ---- providers and caregivers -------------------------------------------------------------------

export const CareProvider = z.object({
  id: Id,
  name: z.string(),
  communityId: Id,
  licenseNo: z.string(),
  contactPhone: z.string(),
  description: z.string(),
  servesMeals: z.boolean(),
  status: CareProviderStatus,
  reviewNote: z.string().nullable(),
  createdAt: Instant,
});
export type CareProvider = z.infer<typeof CareProvider>;
export const CareProviderList = z.object({ items: z.array(CareProvider) });
export const ApplyCareProviderBody = z
  .object({
    communityId: Id,
    name: Name,
    licenseNo: z.string().trim().min(4, 'at least 4 characters').max(40),
    contactPhone: Phone,
    description: Text(500).default(''),
    servesMeals: z.boolean().default(false),
  })
  .strict();
export const StaffCareProviderQuery = z.object({ status: CareProviderStatus.default('pending') });
export const ReviewNoteBody = z.object({ note: Text(200).optional() }).strict();
export const RejectNoteBody = z.object({ note: Text(200).min(1, 'say why') }).strict();

/** One stretch of working time on a weekday, local wall clock ("08:00"–"12:00"). */
export const WorkingHours = z
  .object({
    weekday: z.number().int().min(1).max(7),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
    end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM'),
  })
  .refine((h) => h.start < h.end, { message: 'must end after it starts', path: ['end'] });
export type WorkingHours = z.infer<typeof WorkingHours>;

export const TimeOff = z.object({ id: Id, startsAt: Instant, endsAt: Instant, reason: z.string() });
export const Caregiver = z.object({
  id: Id,
  userId: Id,
  providerId: Id,
  name: z.string(),
  phoneMasked: z.string().nullable(),
  certifications: z.array(z.string()),
  compoundIds: z.array(Id),
  hours: z.array(WorkingHours),
  timeOff: z.array(TimeOff),
  active: z.boolean(),
});
export type Caregiver = z.infer<typeof Caregiver>;
export const CaregiverList = z.object({ items: z.array(Caregiver) });
const CaregiverFields = z.object({
  name: Name,
  certifications: z.array(CareCertification).max(6),
  compoundIds: z.array(Id).min(1, 'serves at least one compound').max(50),
  hours: z.array(WorkingHours).max(21),
  active: z.boolean(),
});
export const AddCaregiverBody = CaregiverFields.omit({ active: true }).extend({ phone: Phone }).strict();
export const UpdateCaregiverBody = CaregiverFields.partial().strict();
export const AddTimeOffBody = z
  .object({ startsAt: Instant, endsAt: Instant, reason: Text(100).default('') })
  .strict()
  .refine((t) => Date.parse(t.startsAt) < Date.parse(t.endsAt), {
    message: 'must end after it starts',
    path: ['endsAt'],
  });

// ---- elder profile ------------------------------------------------------------------------------

export const EmergencyContact = z.object({
  name: Name,
  phone: Phone,
  relation: Text(20).min(1, 'must not be empty'),
});
export const ElderProfile = z.object({
  elderId: Id,
  name: z.string(),
  birthDate: z.string().nullable(),
  age: z.number().int().nullable(),
  householdId: Id.nullable(),
  address: z.string().nullable(),
  healthNotes: z.string(),
  emergencyContacts: z.array(EmergencyContact),
  preferredCaregiverId: Id.nullable(),
  livesAlone: z.boolean(),
  dietaryNotes: z.string(),
});
export type ElderProfile = z.infer<typeof ElderProfile>;
/** A caregiver the family may name as preferred: one who serves the elder's compound. */
export const CaregiverChoice = z.object({
  id: Id,
  name: z.string(),
  providerName: z.string(),
  certifications: z.array(z.string()),
  /** Completed visits with this elder, and the latest. */
  visits: z.number().int(),
  lastVisitAt: Instant.nullable(),
});
export const CaregiverChoiceList = z.object({ items: z.array(CaregiverChoice) });

export const UpdateElderProfileBody = z
  .object({
    householdId: Id,
    healthNotes: Text(1000),
    emergencyContacts: z.array(EmergencyContact).max(5),
    preferredCaregiverId: Id.nullable(),
    livesAlone: z.boolean(),
    dietaryNotes: Text(200),
  })
  .partial()
  .strict();

// ---- availability and bookings ------------------------------------------------------------------

export const SlotQuery = z.object({
  date: LocalDate,
  /** How many days from `date` (at most 14). */
  days: z.coerce.number().int().min(1).max(14).default(1),
});
export const Slot = z.object({ startsAt: Instant, endsAt: Instant, caregivers: z.number().int() });
export const SlotList = z.object({ itemId: Id, timezone: z.string(), items: z.array(Slot) });

export const CreateCareBookingBody = z
  .object({ itemId: Id, startsAt: Instant, note: Text(200).default('') })
  .strict();
export const RescheduleBody = z.object({ startsAt: Instant }).strict();
export const CancelCareBookingBody = z.object({ reason: Text(100).default('') }).strict();
export const RateVisitBody = z
  .object({ rating: z.number().int().min(1).max(5), comment: Text(200).default('') })
  .strict();

export const VisitRecord = z.object({
  clockInAt: Instant.nullable(),
  clockOutAt: Instant.nullable(),
  clockInDistanceM: z.number().int().nullable(),
  clockOutDistanceM: z.number().int().nullable(),
  locationFlagged: z.boolean(),
  checklist: z.array(z.object({ label: z.string(), done: z.boolean() })),
  notes: z.string(),
  summary: z.string(),
  photos: z.array(ImageRef),
  rating: z.number().int().nullable(),
  ratingComment: z.string().nullable(),
});

export const CareBooking = z.object({
  id: Id,
  shortNo: z.string(),
  status: CareBookingStatus,
  elderId: Id,
  elderName: z.string(),
  itemId: Id,
  itemName: z.string(),
  providerName: z.string(),
  caregiverName: z.string(),
  startsAt: Instant,
  endsAt: Instant,
  priceFen: z.number().int(),
  voucherFen: z.number().int(),
  selfPayFen: z.number().int(),
  paid: z.boolean(),
  /** Unpaid self-pay by this instant cancels the booking; null when nothing is due. */
  payBy: Instant.nullable(),
  note: z.string(),
  lateCancel: z.boolean(),
  noShowBy: z.enum(['elder', 'caregiver']).nullable(),
  cancelReason: z.string().nullable(),
  /** Free cancel is possible until this instant; later counts as a late cancel. */
  freeCancelUntil: Instant,
  visit: VisitRecord,
  createdAt: Instant,
});
export type CareBooking = z.infer<typeof CareBooking>;
export const CareBookingList = z.object({ items: z.array(CareBooking) });
export const CareBookingQuery = z.object({ scope: z.enum(['upcoming', 'past', 'all']).default('all') });

// ---- vouchers -----------------------------------------------------------------------------------

export const VoucherEntry = z.object({
  id: Id,
  kind: z.enum(['grant', 'spend', 'return']),
  amountFen: z.number().int(),
  month: z.string(),
  label: z.string(),
  at: Instant,
});
export const VoucherAccount = z.object({
  balanceFen: z.number().int(),
  month: z.string(),
  entries: z.array(VoucherEntry),
});

// ---- visits (caregiver) -------------------------------------------------------------------------

export const Visit = z.object({
  bookingId: Id,
  shortNo: z.string(),
  status: CareBookingStatus,
  itemName: z.string(),
  elderName: z.string(),
  compoundName: z.string(),
  /** Full only to the assigned caregiver from 2 h before the visit until it ends; masked otherwise. */
  address: z.string(),
  phone: z.string().nullable(),
  healthNotes: z.string().nullable(),
  revealed: z.boolean(),
  startsAt: Instant,
  endsAt: Instant,
  note: z.string(),
  visit: VisitRecord,
});
export type Visit = z.infer<typeof Visit>;
export const VisitList = z.object({ items: z.array(Visit) });
export const VisitQuery = z.object({ scope: z.enum(['today', 'upcoming', 'past']).default('today') });
export const ClockBody = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    summary: Text(500).optional(),
  })
  .strict();
export const UpdateVisitBody = z
  .object({ checklistDone: z.array(Text(60)).max(20), notes: Text(1000) })
  .partial()
  .strict();
export const VisitPhotoBody = z.object({ uploadId: Id }).strict();
export const IncidentBody = z.object({ description: Text(500).min(1, 'must not be empty') }).strict();

// ---- provider console ---------------------------------------------------------------------------

export const ProviderBooking = CareBooking.extend({ caregiverId: Id, compoundName: z.string() });
export const ProviderBookingList = z.object({ items: z.array(ProviderBooking) });
export const DayQuery = z.object({
  date: LocalDate.optional(),
  /** true: every request still waiting for the provider's word, whatever its day (date is ignored). */
  waiting: QueryBool.optional(),
});

// ---- meals --------------------------------------------------------------------------------------

export const MealProvider = z.object({ id: Id, name: z.string(), mealPriceFen: z.number().int() });
export const MealPlan = z.object({
  id: Id,
  providerId: Id,
  providerName: z.string(),
  meals: z.array(MealKind),
  mode: MealMode,
  weekdays: z.array(z.number().int()),
  dietaryNotes: z.string(),
  priceFen: z.number().int(),
  active: z.boolean(),
  /** The next meals the plan will produce, with their cut-offs and whether they are skipped. */
  upcoming: z.array(
    z.object({ date: LocalDate, meal: MealKind, cutoffAt: Instant, skipped: z.boolean(), open: z.boolean() }),
  ),
});
export const MealPlanView = z.object({ plan: MealPlan.nullable(), providers: z.array(MealProvider) });
export const SaveMealPlanBody = z
  .object({
    providerId: Id,
    meals: z.array(MealKind).min(1, 'choose lunch, dinner or both').max(2),
    mode: MealMode,
    weekdays: z.array(z.number().int().min(1).max(7)).min(1, 'choose at least one day').max(7),
    dietaryNotes: Text(200).default(''),
  })
  .strict();
export const MealSkipBody = z.object({ date: LocalDate, meal: MealKind }).strict();
export const MealList = z.object({
  date: LocalDate,
  meal: MealKind,
  closed: z.boolean(),
  dineIn: z.number().int(),
  delivered: z.number().int(),
  byCompound: z.array(
    z.object({
      compoundName: z.string(),
      items: z.array(z.object({ elderName: z.string(), address: z.string(), dietaryNotes: z.string() })),
    }),
  ),
  dietaryNotes: z.array(z.object({ elderName: z.string(), note: z.string() })),
});
export const MealListQuery = z.object({ date: LocalDate, meal: MealKind });

// ---- access log and dashboard -------------------------------------------------------------------

export const AccessLogEntry = z.object({
  id: Id,
  readerName: z.string(),
  readerRole: z.string(),
  field: z.string(),
  reason: z.string(),
  at: Instant,
});
export const AccessLog = z.object({ items: z.array(AccessLogEntry) });

export const FamilyDashboard = z.object({
  elder: z.object({ id: Id, name: z.string(), age: z.number().int().nullable() }),
  nextVisits: z.array(CareBooking),
  pastVisits: z.array(CareBooking),
  voucher: z.object({
    balanceFen: z.number().int(),
    month: z.string(),
    spentFen: z.number().int(),
    selfPayFen: z.number().int(),
  }),
  mealPlan: MealPlan.nullable(),
  lockerOrders: z.array(
    z.object({
      orderId: Id,
      shortNo: z.string(),
      bankName: z.string(),
      compartment: z.string(),
      pickupBy: Instant.nullable(),
    }),
  ),
  accessLog: z.array(AccessLogEntry),
});

// ---- staff --------------------------------------------------------------------------------------

export const StaffElderQuery = z.object({ reason: z.string().trim().min(2, 'say why you need it').max(100) });
export const StaffBookingQuery = z.object({ date: LocalDate.optional() });
export const AttendanceReport = z.object({
  elders: z.array(
    z.object({ elderId: Id, name: z.string(), lateCancels: z.number().int(), noShows: z.number().int() }),
  ),
  caregivers: z.array(
    z.object({ caregiverId: Id, name: z.string(), lateCancels: z.number().int(), noShows: z.number().int() }),
  ),
});
export const MonthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') });
export const CareStatement = z.object({
  month: z.string(),
  providers: z.array(
    z.object({
      providerId: Id,
      name: z.string(),
      visits: z.number().int(),
      /** Meals served (a canteen's); price, voucher and self-pay cover visits and meals. */
      meals: z.number().int(),
      priceFen: z.number().int(),
      voucherFen: z.number().int(),
      selfPayFen: z.number().int(),
    }),
  ),
  elders: z.array(
    z.object({
      elderId: Id,
      name: z.string(),
      visits: z.number().int(),
      meals: z.number().int(),
      voucherFen: z.number().int(),
      selfPayFen: z.number().int(),
    }),
  ),
});
