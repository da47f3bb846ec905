import { Checkbox, CheckboxGroup, Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { Visit } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { chooseImages, imageSrc, uploadImages } from '../api/upload';
import { bookingStatusText, bookingTagClass, localTime, visitWhen } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { currentPosition, LocationError, openLocationSettings } from './location';
import {
  checkedLabels,
  checklistProgress,
  clockInHint,
  clockNote,
  contactNote,
  visitActions,
} from './visit-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import { tappable } from '../components/a11y';

const MAX_PHOTOS = 9;

/** The page's own sentences for what a visit action can run into. */
const visitError = (err: unknown) =>
  err instanceof LocationError
    ? err.message
    : describeError(err, {
        codes: { NOT_FOUND: '没有找到这次上门服务，可能已取消或改派给其他护理员' },
        fields: {
          summary: '服务小结最多 500 字',
          notes: '备注最多 1000 字',
          description: '请写下发生了什么（500 字以内）',
        },
      });

/** The elder: full address, phone and health notes once revealed (2 h before), masked before. */
function ElderCard({ v }: { v: Visit }) {
  const hidden = contactNote(v);
  return (
    <View className="card stack cc-card" data-testid="visit-elder">
      <Text className="card__title">{`${v.elderName} · ${v.compoundName}`}</Text>
      <Text className="cc-line" data-testid="visit-address">{`地址：${v.address}`}</Text>
      {hidden ? (
        <Text className="cc-warn" data-testid="visit-masked">
          {hidden}
        </Text>
      ) : (
        <>
          {v.phone ? (
            <View className="cc-actions">
              <Text className="cc-line">{`电话：${v.phone}`}</Text>
              <Btn
                variant="ghost small"
                onClick={() => void Taro.makePhoneCall({ phoneNumber: v.phone! }).catch(() => undefined)}
                testId="visit-call"
              >
                拨打电话
              </Btn>
            </View>
          ) : null}
          <Text
            className="cc-line"
            data-testid="visit-health"
          >{`健康情况：${v.healthNotes || '无特别说明'}`}</Text>
        </>
      )}
      {v.note ? <Text className="muted">{`预约备注：${v.note}`}</Text> : null}
    </View>
  );
}

/** 上门打卡 and 服务完成打卡: the phone's position goes with each, a far one is flagged, never refused. */
function ClockCard({ v, now, onChanged }: { v: Visit; now: Date; onChanged: (v: Visit) => void }) {
  const actions = visitActions(v, now);
  const early = actions.clockIn ? clockInHint(v.startsAt, now) : null;
  const [summary, setSummary] = useState(v.visit.summary);
  const [denied, setDenied] = useState(false);
  const { busy, runningKey, error, run } = useAction(visitError);

  async function clock(kind: 'in' | 'out') {
    setDenied(false);
    const next = await run(async () => {
      let at: { lat: number; lng: number };
      try {
        at = await currentPosition();
      } catch (err) {
        if (err instanceof LocationError && err.problem === 'denied') setDenied(true);
        throw err;
      }
      return kind === 'in'
        ? call('clockIn', { params: { id: v.bookingId }, body: at })
        : call('clockOut', { params: { id: v.bookingId }, body: { ...at, summary: summary.trim() } });
    }, kind);
    if (!next) return;
    onChanged(next);
    const flagged = next.visit.locationFlagged;
    void Taro.showToast({
      title: flagged ? '位置偏离，已记录' : kind === 'in' ? '已签到' : '服务已完成',
      icon: flagged ? 'none' : 'success',
    });
  }

  // One flag for the visit (either clock was far); each clock shows its own distance.
  const inNote = clockNote(v.visit.clockInDistanceM, false);
  const outNote = clockNote(v.visit.clockOutDistanceM, false);
  return (
    <View className="card stack cc-card" data-testid="visit-clock">
      <Text className="card__title">上门打卡</Text>
      {v.visit.clockInAt ? (
        <Text
          className="cc-line"
          data-testid="visit-clock-in-at"
        >{`签到时间：${localTime(v.visit.clockInAt)}`}</Text>
      ) : null}
      {v.visit.clockInAt && inNote ? (
        <Text className="muted" data-testid="visit-clock-in-note">
          {inNote}
        </Text>
      ) : null}
      {v.visit.clockOutAt ? (
        <Text
          className="cc-line"
          data-testid="visit-clock-out-at"
        >{`签退时间：${localTime(v.visit.clockOutAt)}`}</Text>
      ) : null}
      {v.visit.clockOutAt && outNote ? <Text className="muted">{outNote}</Text> : null}
      {v.visit.locationFlagged ? (
        <Text className="cc-warn" data-testid="visit-location-flag">
          位置偏离，已记录
        </Text>
      ) : null}
      {v.visit.summary && v.visit.clockOutAt ? (
        <Text className="cc-line">{`服务小结：${v.visit.summary}`}</Text>
      ) : null}
      {actions.clockIn ? (
        <>
          <Text className="muted">到达老人家门口后打卡，系统会记录时间和位置。</Text>
          {early ? (
            <Text className="cc-warn" data-testid="visit-clock-in-early">
              {early}
            </Text>
          ) : null}
          <Btn disabled={busy} onClick={() => void clock('in')} testId="visit-clock-in">
            {runningKey === 'in' ? '正在定位…' : '上门打卡'}
          </Btn>
        </>
      ) : null}
      {actions.clockOut ? (
        <>
          <Field label="服务小结（会发给家属）">
            <TextArea
              value={summary}
              onChange={setSummary}
              placeholder="如：已完成助浴，老人精神不错，皮肤无破损"
              maxLength={500}
              testId="visit-summary"
            />
          </Field>
          <Btn disabled={busy} onClick={() => void clock('out')} testId="visit-clock-out">
            {runningKey === 'out' ? '正在定位…' : '服务完成打卡'}
          </Btn>
        </>
      ) : null}
      {error ? (
        <Text className="state__message" data-testid="visit-clock-error">
          {error}
        </Text>
      ) : null}
      {denied && process.env.TARO_ENV === 'weapp' ? (
        <Btn
          variant="ghost small"
          onClick={() => void openLocationSettings()}
          testId="visit-location-settings"
        >
          去设置允许定位
        </Btn>
      ) : null}
    </View>
  );
}

/** The item's checklist as checkboxes: each tick is saved at once. */
function ChecklistCard({ v, onChanged }: { v: Visit; onChanged: (v: Visit) => void }) {
  const editable = visitActions(v).record;
  const { busy, error, run } = useAction(visitError);
  const list = v.visit.checklist;
  if (list.length === 0) return null;

  async function save(values: string[]) {
    if (!editable) return;
    const next = await run(() =>
      call('updateVisit', {
        params: { id: v.bookingId },
        body: { checklistDone: checkedLabels(list, values) },
      }),
    );
    if (next) onChanged(next);
  }

  return (
    <View className="card stack cc-card" data-testid="visit-checklist">
      <View className="cc-head">
        <Text className="card__title">服务清单</Text>
        <Text className="muted">{checklistProgress(list)}</Text>
      </View>
      {editable ? null : <Text className="muted">签到后可勾选</Text>}
      <CheckboxGroup onChange={(e) => void save(e.detail.value as string[])}>
        {list.map((c) => (
          <View key={c.label} className="cc-check">
            <Checkbox
              value={c.label}
              checked={c.done}
              disabled={!editable || busy}
              aria-label={c.label}
              data-testid={`check-${c.label}`}
            />
            <Text className="cc-line">{c.label}</Text>
          </View>
        ))}
      </CheckboxGroup>
      {error ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** Notes for the provider and family, and the visit's photos (private to them and staff). */
function RecordCard({ v, onChanged }: { v: Visit; onChanged: (v: Visit) => void }) {
  const editable = visitActions(v).record;
  const [notes, setNotes] = useState(v.visit.notes);
  const { busy, runningKey, error, setError, run } = useAction(visitError);
  const photos = v.visit.photos;

  async function saveNotes() {
    const next = await run(
      () => call('updateVisit', { params: { id: v.bookingId }, body: { notes: notes.trim() } }),
      'notes',
    );
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: '备注已保存', icon: 'success' });
    }
  }

  async function addPhotos() {
    setError(null);
    let picked: Awaited<ReturnType<typeof chooseImages>>;
    try {
      picked = await chooseImages(MAX_PHOTOS - photos.length);
    } catch {
      setError('无法打开相机或相册，请检查小程序的相机、相册权限');
      return;
    }
    if (!picked.length) return;
    const next = await run(async () => {
      const uploads = await uploadImages(picked, 'care_visit');
      let latest: Visit | undefined;
      for (const u of uploads) {
        latest = await call('addVisitPhoto', { params: { id: v.bookingId }, body: { uploadId: u.id } });
      }
      return latest;
    }, 'photos');
    if (next) onChanged(next);
  }

  const preview = (index: number) => {
    const urls = photos.map((p) => imageSrc(p.url));
    void Taro.previewImage({ urls, current: urls[index] });
  };

  return (
    <View className="card stack cc-card" data-testid="visit-record">
      <Text className="card__title">服务记录</Text>
      {editable ? (
        <>
          <Field label="备注（机构和家属可见）">
            <TextArea
              value={notes}
              onChange={setNotes}
              placeholder="老人的情况、需要家属注意的事"
              maxLength={1000}
              testId="visit-notes"
            />
          </Field>
          <Btn
            variant="ghost"
            disabled={busy || notes === v.visit.notes}
            onClick={() => void saveNotes()}
            testId="visit-save-notes"
          >
            {runningKey === 'notes' ? '保存中…' : '保存备注'}
          </Btn>
        </>
      ) : (
        <Text className="cc-line">{`备注：${v.visit.notes || '无'}`}</Text>
      )}
      <Text className="muted">{`照片 ${photos.length} 张（仅老人、家属、机构和社区可见）`}</Text>
      {photos.length ? (
        <View className="cc-photos">
          {photos.map((p, i) => (
            <Image
              {...tappable({ label: '照片，点击查看大图' })}
              key={p.id}
              className="cc-photo"
              src={imageSrc(p.thumbUrl)}
              mode="aspectFill"
              onClick={() => preview(i)}
              ariaLabel={`服务照片 ${i + 1}`}
              data-testid="visit-photo"
            />
          ))}
        </View>
      ) : null}
      {editable && photos.length < MAX_PHOTOS ? (
        <Btn variant="ghost" disabled={busy} onClick={() => void addPhotos()} testId="visit-add-photo">
          {runningKey === 'photos' ? '正在上传…' : '拍照或上传照片'}
        </Btn>
      ) : null}
      {error ? (
        <Text className="state__message" data-testid="visit-record-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/** 报告异常 (alerts the provider and staff) and 老人不在家 (ends the visit as the elder's no-show). */
function TroubleCard({ v, now, onChanged }: { v: Visit; now: Date; onChanged: (v: Visit) => void }) {
  const actions = visitActions(v, now);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const { busy, runningKey, error, setError, run } = useAction(visitError);
  if (!actions.incident && !actions.elderAbsent) return null;

  async function report() {
    if (!text.trim()) {
      setError('请写下发生了什么');
      return;
    }
    const next = await run(
      () => call('reportIncident', { params: { id: v.bookingId }, body: { description: text.trim() } }),
      'incident',
    );
    if (next) {
      onChanged(next);
      setText('');
      setOpen(false);
      void Taro.showToast({ title: '已通知机构和社区', icon: 'success' });
    }
  }

  async function absent() {
    const ok = await confirm(
      '老人不在家',
      '确认已到达、敲门或电话联系后老人仍不在家吗？本次服务将记为老人未在家，并通知家属和机构。',
      { confirmText: '确认不在家', cancelText: '再等等' },
    );
    if (!ok) return;
    const next = await run(
      () => call('markElderAbsent', { params: { id: v.bookingId }, body: {} }),
      'absent',
    );
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: '已记录', icon: 'success' });
    }
  }

  return (
    <View className="card stack cc-card" data-testid="visit-trouble">
      <Text className="card__title">遇到问题</Text>
      {actions.incident ? (
        open ? (
          <>
            <Field label="发生了什么（机构和社区会立即收到）">
              <TextArea
                value={text}
                onChange={setText}
                placeholder="如：老人摔倒，已联系家属；家中漏水"
                maxLength={500}
                testId="visit-incident-text"
              />
            </Field>
            <View className="cc-actions">
              <Btn
                variant="danger"
                disabled={busy}
                onClick={() => void report()}
                testId="visit-incident-submit"
              >
                {runningKey === 'incident' ? '提交中…' : '提交异常报告'}
              </Btn>
              <Btn variant="ghost" onClick={() => setOpen(false)}>
                取消
              </Btn>
            </View>
          </>
        ) : (
          <Btn variant="ghost" onClick={() => setOpen(true)} testId="visit-incident">
            报告异常
          </Btn>
        )
      ) : null}
      {actions.elderAbsent ? (
        <Btn variant="ghost" disabled={busy} onClick={() => void absent()} testId="visit-absent">
          {runningKey === 'absent' ? '提交中…' : '老人不在家'}
        </Btn>
      ) : null}
      {error ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** 上门服务: one visit from arrival to the summary. */
export default function CaregiverVisitPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('caregiverVisit', { params: { id } }), { refreshOnShow: true });
  // Each action answers with the whole visit; show it at once instead of loading again.
  const [latest, setLatest] = useState<Visit | undefined>(undefined);
  const v = latest && latest.bookingId === state.data?.bookingId ? latest : state.data;
  const onChanged = (next: Visit) => setLatest(next);
  // Clock-in's hint and 老人不在家 depend on the time: the page keeps up while it stays open.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <Page name="caregiver-visit" state={state}>
      {v ? (
        <>
          <View className="card stack cc-card" data-testid="visit-head">
            <View className="cc-head">
              <Text className="card__title">{v.itemName}</Text>
              <Text className={bookingTagClass(v.status)} data-testid="visit-status">
                {bookingStatusText(v.status)}
              </Text>
            </View>
            <Text className="cc-line cc-strong">{visitWhen(v.startsAt, v.endsAt)}</Text>
            <Text className="muted">{`预约号 ${v.shortNo}`}</Text>
          </View>
          <ElderCard v={v} />
          <ClockCard key={`clock-${v.status}`} v={v} now={now} onChanged={onChanged} />
          <ChecklistCard v={v} onChanged={onChanged} />
          <RecordCard key={`record-${v.status}`} v={v} onChanged={onChanged} />
          <TroubleCard v={v} now={now} onChanged={onChanged} />
        </>
      ) : null}
    </Page>
  );
}
