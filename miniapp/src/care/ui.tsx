import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { type CareBooking, type CareBookingStatus, type ImageRef, localClock, PAGES } from 'shared';
import { imageSrc } from '../api/upload';
import { tappable } from '../components/a11y';
import { bookingActions, paymentText, priceSplitText, statusText, statusTone } from './booking-model';
import { visitTimeText } from './slots-model';

/** Today's local date (Asia/Shanghai), for 今天/明天 labels. */
export const todayLocal = () => localClock(new Date()).date;

export const openBooking = (id: string) => void Taro.navigateTo({ url: `${PAGES.careBooking}?id=${id}` });

/**
 * ARIA attributes for Taro's Button: its H5 element (taro-button-core) has no role of its own, and
 * Taro's typings leave these out though both platforms pass them through.
 */
export const a11y = (attrs: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)) as object;

/**
 * A chip that is a real button (a day, a slot, a meal option): tappable by keyboard and named by
 * its text for screen readers, with its pressed state said out loud.
 */
export function ChipBtn({
  children,
  selected,
  onClick,
  testId,
  disabled,
  label,
}: {
  children: ReactNode;
  /** The accessible name when the text alone would not say it (★ for a star). */
  label?: string;
  selected: boolean;
  onClick: () => void;
  testId?: string;
  disabled?: boolean;
}) {
  return (
    <Button
      className={`btn care-chip${selected ? ' care-chip--selected' : ''}${disabled ? ' btn--disabled' : ''}`}
      {...a11y({ role: 'button', 'aria-pressed': selected ? 'true' : 'false', 'aria-label': label })}
      disabled={disabled ? true : undefined}
      onClick={disabled ? undefined : onClick}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}

export function CareStatusTag({ status }: { status: CareBookingStatus }) {
  return (
    <Text className={`tag tag--${statusTone(status)}`} data-testid="care-status">
      {statusText(status)}
    </Text>
  );
}

/** One labelled value on a line. */
export function Kv({ k, children, testId }: { k: string; children: ReactNode; testId?: string }) {
  return (
    <View className="care-kv" data-testid={testId}>
      <Text className="care-kv__key">{k}</Text>
      <Text className="care-kv__value">{children}</Text>
    </View>
  );
}

/** A booking in a list: item, time, status, who; taps through to the booking page. */
export function BookingRow({ booking, today }: { booking: CareBooking; today: string }) {
  return (
    <View
      {...tappable()}
      className="care-list-item"
      onClick={() => openBooking(booking.id)}
      data-testid={`care-booking-row-${booking.id}`}
    >
      <View className="care-row">
        <Text className="care-item__name care-row__main">{booking.itemName}</Text>
        <CareStatusTag status={booking.status} />
      </View>
      <Text className="care-line">{visitTimeText(booking, today)}</Text>
      <Text className="muted">{`${booking.caregiverName || '待安排护理员'} · ${booking.providerName}`}</Text>
      <Text className="muted">{priceSplitText(booking)}</Text>
      {bookingActions(booking).pay ? (
        <Text className="care-note" data-testid="care-row-unpaid">
          {paymentText(booking, today)}
        </Text>
      ) : null}
      {booking.visit.summary ? <Text className="muted">{`服务小结：${booking.visit.summary}`}</Text> : null}
      {booking.visit.rating ? (
        <Text className="muted">{`评价：${'★'.repeat(booking.visit.rating)}`}</Text>
      ) : null}
      <Text className="muted">查看详情 ›</Text>
    </View>
  );
}

/** Visit photos: thumbnails that open full size. */
export function PhotoList({ photos }: { photos: ImageRef[] }) {
  if (!photos.length) return null;
  const urls = photos.map((p) => imageSrc(p.url));
  return (
    <View className="care-photos" data-testid="care-visit-photos">
      {photos.map((p, i) => (
        <Image
          {...tappable()}
          key={p.id}
          className="care-photo"
          src={imageSrc(p.thumbUrl)}
          mode="aspectFill"
          ariaLabel={`服务照片 ${i + 1}`}
          onClick={() => void Taro.previewImage({ urls, current: urls[i] })}
        />
      ))}
    </View>
  );
}

/** An empty list's line. */
export function Empty({ text }: { text: string }) {
  return <Text className="muted">{text}</Text>;
}
