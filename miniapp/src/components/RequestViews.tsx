import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import {
  REQUEST_CATEGORY_LABELS,
  REQUEST_STATUS_LABELS,
  type RequestDetail,
  type RequestStatus,
  type RequestSummary,
} from 'shared';
import {
  CATEGORY_CARDS,
  deadlineView,
  handlerView,
  REQUEST_STATUS_TEXT,
  requestTone,
  timelineItems,
  whenText,
} from '../common/request-model';
import { a11y } from './a11y';
import { Btn } from './Btn';
import { PhotoGrid } from './PhotoPicker';
import './request-views.scss';
import './request-views-elder.scss';

/**
 * The pieces the resident's, the staff's and the shop's request pages share (three subpackages, so
 * they live here): the status tag, the running clock, the handler, the timeline, the stars.
 */

/**
 * A request's tag. Residents read what is true for them (已提交, 已解决); staff and the shop read
 * the desk's words (待派单, 待评价).
 */
export function RequestTag({ status, desk }: { status: RequestStatus; desk?: boolean }) {
  return (
    <Text className={`tag tag--${requestTone(status)}`} data-testid="request-status">
      {desk ? REQUEST_STATUS_LABELS[status] : REQUEST_STATUS_TEXT[status]}
    </Text>
  );
}

/** 「修」 in a circle and 报修: a category as its card shows it. */
export function CategoryIcon({ category }: { category: RequestSummary['category'] }) {
  return (
    <Text className={`rq-icon rq-icon--${category}`} aria-hidden="true">
      {CATEGORY_CARDS[category].icon}
    </Text>
  );
}

/** The running clock: 应在 今天 18:00 前响应, red once missed; nothing when none runs. */
export function DeadlineLine({
  r,
  short,
  now,
}: {
  r: Pick<RequestSummary, 'status' | 'respondBy' | 'resolveBy'>;
  /** The queue's short form: 响应剩 5小时. */
  short?: boolean;
  now?: Date;
}) {
  const d = deadlineView(r, now);
  if (!d) return null;
  return (
    <Text className={`rq-deadline${d.overdue ? ' rq-deadline--late' : ''}`} data-testid="request-deadline">
      {short ? d.left : d.text}
    </Text>
  );
}

/** Icon, category and number, the status on the right: a list row's and a detail page's top line. */
function RequestTitle({ r, desk }: { r: RequestSummary; desk?: boolean }) {
  return (
    <View className="rq-row__head">
      <CategoryIcon category={r.category} />
      <View className="rq-row__title">
        <Text className="rq-row__category">{REQUEST_CATEGORY_LABELS[r.category]}</Text>
        <Text className="muted">{`编号 ${r.number}`}</Text>
      </View>
      <RequestTag status={r.status} desk={desk} />
    </View>
  );
}

/** A detail page's first lines: the title line, then when it was raised. */
export function RequestHeadRow({ r, desk }: { r: RequestSummary; desk?: boolean }) {
  return (
    <>
      <RequestTitle r={r} desk={desk} />
      <Text className="muted">{`提交时间：${whenText(r.createdAt)}`}</Text>
    </>
  );
}

/** The list row: icon, category, number, status, the text's start, where, the clock. */
export function RequestRow({
  r,
  desk,
  onOpen,
  testId,
  children,
}: {
  r: RequestSummary;
  desk?: boolean;
  onOpen: () => void;
  testId?: string;
  /** Under the clock: the desk's late tag, say. */
  children?: ReactNode;
}) {
  return (
    <View className="card rq-row" data-testid={testId ?? `request-${r.id}`}>
      <RequestTitle r={r} desk={desk} />
      <Text className="rq-row__text">{r.text}</Text>
      {r.location ? <Text className="muted">{`位置：${r.location}`}</Text> : null}
      {desk && r.handler ? <Text className="muted">{`处理人：${r.handler.name}`}</Text> : null}
      <DeadlineLine r={r} short={desk} />
      {children}
      <Btn variant="ghost small" onClick={onOpen} testId={`${testId ?? `request-${r.id}`}-open`}>
        查看详情
      </Btn>
    </View>
  );
}

/** Who handles it: name, and the phone (masked for the resident until the handler accepted). */
export function HandlerLine({ r, full }: { r: Pick<RequestDetail, 'handler' | 'status'>; full?: boolean }) {
  const h = handlerView(r.handler, r.status);
  if (!h) return null;
  const phone = full ? r.handler?.phone : h.phone;
  const dial = full ? r.handler?.phone : h.dial;
  return (
    <View className="rq-handler" data-testid="request-handler">
      <Text className="rq-line">{`处理人：${h.name}`}</Text>
      {phone ? (
        <PhoneRow phone={phone} dial={dial ?? null} note={full ? null : h.note} testId="request-handler" />
      ) : null}
    </View>
  );
}

/**
 * 电话：… with 拨打 when the number may be dialled; else the note saying why not (the model's
 * words for the request's state: the full number still to come, or no longer shown).
 */
export function PhoneRow({
  phone,
  dial,
  note,
  testId,
}: {
  phone: string;
  dial: string | null;
  note: string | null;
  testId: string;
}) {
  return (
    <View className="rq-handler__phone">
      <Text className="rq-line" data-testid={`${testId}-phone`}>{`电话：${phone}`}</Text>
      {dial ? (
        <Btn
          variant="ghost small"
          onClick={() => void Taro.makePhoneCall({ phoneNumber: dial }).catch(() => undefined)}
          testId={`${testId}-call`}
        >
          拨打
        </Btn>
      ) : note ? (
        <Text className="muted" data-testid={`${testId}-note`}>
          {note}
        </Text>
      ) : null}
    </View>
  );
}

/** The request's photos and, once resolved, the handler's note and photos. */
export function RequestContent({ r }: { r: RequestDetail }) {
  return (
    <>
      <Text className="rq-text" data-testid="request-text">
        {r.text}
      </Text>
      <Text className="rq-line">{`位置：${r.location || '未填写'}`}</Text>
      <PhotoGrid photos={r.photos} label="诉求照片" testId="request-photos" />
    </>
  );
}

export function ResolutionCard({ r }: { r: RequestDetail }) {
  if (!r.resolution) return null;
  return (
    <View className="card stack rq-card" data-testid="request-resolution">
      <Text className="card__title">处理结果</Text>
      <Text className="rq-text">{r.resolution.note}</Text>
      <PhotoGrid photos={r.resolution.photos} label="处理照片" testId="request-resolution-photos" />
    </View>
  );
}

/** Every event with its time, newest last; a missed time limit in red. */
export function RequestTimeline({ r }: { r: Pick<RequestDetail, 'timeline'> }) {
  const items = timelineItems(r.timeline);
  return (
    <View className="card stack rq-card" data-testid="request-timeline">
      <Text className="card__title">办理进度</Text>
      <View className="rq-steps">
        {items.map((item, i) => (
          <View
            key={item.key}
            className={`rq-step${item.alert ? ' rq-step--alert' : ''}${i === items.length - 1 ? ' rq-step--last' : ''}`}
            data-testid="request-event"
          >
            <View className="rq-step__dot" />
            <View className="rq-step__body">
              <Text className="rq-step__title">{item.title}</Text>
              <Text className="muted">{item.meta}</Text>
              {item.note ? <Text className="rq-step__note">{item.note}</Text> : null}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

/** 1-5 stars as real buttons, each saying how many stars it gives and whether it is chosen. */
export function StarPicker({
  value,
  onChange,
  testId = 'request-stars',
}: {
  value: number;
  onChange: (stars: number) => void;
  testId?: string;
}) {
  return (
    <View className="rq-stars" data-testid={testId}>
      {[1, 2, 3, 4, 5].map((n) => (
        <Button
          key={n}
          className={`btn rq-star${n <= value ? ' rq-star--on' : ''}`}
          {...a11y({ pressed: n <= value, label: `${n}星` })}
          onClick={() => onChange(n)}
          data-testid={`${testId}-${n}`}
        >
          {n <= value ? '★' : '☆'}
        </Button>
      ))}
    </View>
  );
}
