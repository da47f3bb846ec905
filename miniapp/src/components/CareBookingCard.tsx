import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { type CareBookingStatus, formatYuan } from 'shared';
import { bookingStatusText, bookingTagClass, localTime } from '../common/care-console';

/** The parts of a booking the provider's and staff's day lists show (ProviderBooking has them all). */
export interface DayBooking {
  id: string;
  shortNo: string;
  status: CareBookingStatus;
  itemName: string;
  elderName: string;
  caregiverName: string;
  providerName: string;
  compoundName: string;
  startsAt: string;
  endsAt: string;
  priceFen: number;
  voucherFen: number;
  selfPayFen: number;
  lateCancel: boolean;
  noShowBy: 'elder' | 'caregiver' | null;
  note: string;
  visit: { clockInAt: string | null; clockOutAt: string | null; locationFlagged: boolean };
}

/** One booking of a day: when, what, for whom, by whom, where, its status and money; actions below. */
export function CareBookingCard({
  booking: b,
  showProvider,
  children,
}: {
  booking: DayBooking;
  showProvider?: boolean;
  children?: ReactNode;
}) {
  return (
    <View className="card stack cc-card" data-testid={`care-booking-${b.id}`}>
      <View className="cc-head">
        <Text className="card__title">{`${localTime(b.startsAt)}-${localTime(b.endsAt)} ${b.itemName}`}</Text>
        <Text className={bookingTagClass(b.status)}>{bookingStatusText(b.status)}</Text>
      </View>
      <Text className="cc-line">{`老人：${b.elderName} · ${b.compoundName}`}</Text>
      <Text className="cc-line">{`护理员：${b.caregiverName}`}</Text>
      {showProvider ? <Text className="cc-line">{`机构：${b.providerName}`}</Text> : null}
      <Text className="muted">
        {`预约号 ${b.shortNo} · ${formatYuan(b.priceFen)}（服务券 ${formatYuan(b.voucherFen)}，自付 ${formatYuan(b.selfPayFen)}）`}
      </Text>
      {b.visit.clockInAt ? (
        <Text className="muted">
          {`签到 ${localTime(b.visit.clockInAt)}${b.visit.clockOutAt ? ` · 签退 ${localTime(b.visit.clockOutAt)}` : ''}`}
        </Text>
      ) : null}
      {b.visit.locationFlagged ? <Text className="cc-warn">打卡位置偏离小区，已记录</Text> : null}
      {b.lateCancel ? <Text className="cc-warn">临时取消（超过免费取消时间）</Text> : null}
      {b.noShowBy ? (
        <Text className="cc-warn">{b.noShowBy === 'elder' ? '老人不在家，未能服务' : '护理员未上门'}</Text>
      ) : null}
      {b.note ? <Text className="muted">{`备注：${b.note}`}</Text> : null}
      {children}
    </View>
  );
}
