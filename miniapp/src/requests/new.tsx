import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import {
  CONTACT_PREFERENCE_LABELS,
  CONTACT_PREFERENCES,
  type ContactPreference,
  PAGES,
  REQUEST_CATEGORIES,
  REQUEST_CATEGORY_LABELS,
  type RequestCategory,
} from 'shared';
import { call } from '../api';
import { describeRequestError } from '../common/request-errors';
import {
  CATEGORY_CARDS,
  countText,
  locationToSend,
  MAX_REQUEST_PHOTOS,
  REQUEST_LOCATION_MAX,
  REQUEST_TEXT_MAX,
  type RequestForm,
  type RequestFormErrors,
  validateRequestForm,
} from '../common/request-model';
import { Btn } from '../components/Btn';
import { Field, FieldError } from '../components/Field';
import { Page } from '../components/Page';
import { type ChosenPhoto, PhotoPicker } from '../components/PhotoPicker';
import { CategoryIcon } from '../components/RequestViews';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './requests.scss';
import './requests-elder.scss';

const isCategory = (v: string | undefined): v is RequestCategory =>
  (REQUEST_CATEGORIES as readonly string[]).includes(v ?? '');

function withoutKeys<T extends object>(o: T, keys: string[]): T {
  if (!keys.some((k) => k in o)) return o;
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as T;
}

/** ARIA for Taro's Button (its H5 element has no role of its own). */
const pressed = (on: boolean) => ({ role: 'button', 'aria-pressed': on ? 'true' : 'false' }) as object;

/**
 * 我要反映: what kind (large cards), what happened (text with a count), photos (up to 9, uploaded
 * with progress), where (prefilled with the household's address, editable), how to reach me.
 * `?category=repair` opens with a category chosen (首页's 报修 entry).
 */
export default function RequestNewPage() {
  const { category: preset } = useRouter().params;
  const me = useApi(() => call('me'));
  const homes = (me.data?.memberships ?? []).filter((m) => m.status === 'approved');
  const [householdId, setHouseholdId] = useState<string | null>(null);
  const home = homes.find((m) => m.householdId === householdId) ?? homes[0] ?? null;
  const [form, setForm] = useState<RequestForm>({
    category: isCategory(preset) ? preset : null,
    text: '',
    location: '',
  });
  const [contact, setContact] = useState<ContactPreference>('phone');
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [errors, setErrors] = useState<RequestFormErrors>({});
  const action = useAction(describeRequestError);
  // A field's error goes as soon as that field changes; the others stay until they are fixed too.
  const set = (patch: Partial<RequestForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => withoutKeys(e, Object.keys(patch)));
  };
  // WeChat shows its subscribe prompt only inside the tap, so the template ids are fetched now.
  useEffect(() => void prefetchSubscribeTemplates(), []);

  // The household's address fills 位置 once it is known (and again when another household is picked),
  // unless the resident already wrote their own.
  const address = home?.address ?? null;
  const [prefilled, setPrefilled] = useState<string | null>(null);
  useEffect(() => {
    if (address === null) return;
    setForm((f) => (f.location === '' || f.location === prefilled ? { ...f, location: address } : f));
    setPrefilled(address);
  }, [address, prefilled]);

  const submit = () => {
    const found = validateRequestForm(form);
    setErrors(found);
    if (Object.keys(found).length || !form.category) return;
    // 派单、办结 reach the resident as a WeChat message too, if they allow it (asked inside the tap).
    void askToSubscribe(['reviewResult']);
    void action.run(async () => {
      const created = await call('createRequest', {
        body: {
          category: form.category!,
          text: form.text.trim(),
          photos: photos.map((p) => p.id),
          location: locationToSend(form.location, address),
          contact,
          ...(homes.length > 1 && home ? { householdId: home.householdId } : {}),
        },
      });
      void Taro.showToast({ title: '已提交', icon: 'success' });
      void Taro.redirectTo({ url: `${PAGES.requestDetail}?id=${created.id}&new=1` });
    });
  };

  return (
    <Page name="requestNew" state={me}>
      {me.data && !home ? (
        <View className="card stack" data-testid="request-new-not-resident">
          <Text className="card__title">认证住户后才能反映诉求</Text>
          <Btn onClick={() => void Taro.navigateTo({ url: PAGES.membership })} testId="request-new-verify">
            去认证住户
          </Btn>
        </View>
      ) : null}
      {home ? (
        <>
          <View className="card stack rq-card" data-testid="request-new-category">
            <Text className="card__title">要反映什么？</Text>
            <View className="rqr-cats">
              {REQUEST_CATEGORIES.map((c) => (
                <Button
                  key={c}
                  className={`btn rqr-cat${form.category === c ? ' rqr-cat--on' : ''}`}
                  {...pressed(form.category === c)}
                  onClick={() => set({ category: c })}
                  data-testid={`request-category-${c}`}
                >
                  <CategoryIcon category={c} />
                  <View className="rqr-cat__words">
                    <Text className="rqr-cat__label">{REQUEST_CATEGORY_LABELS[c]}</Text>
                    <Text className="rqr-cat__hint">{CATEGORY_CARDS[c].hint}</Text>
                  </View>
                </Button>
              ))}
            </View>
            {errors.category ? (
              <FieldError testId="request-category-error">{errors.category}</FieldError>
            ) : null}
          </View>

          <View className="card stack rq-card" data-testid="request-new-text">
            <Field label="具体情况" error={errors.text} testId="request-text-field">
              <TextArea
                value={form.text}
                onChange={(text) => set({ text })}
                placeholder="如：3栋2单元楼道灯坏了，晚上看不见"
                maxLength={REQUEST_TEXT_MAX}
                testId="request-text"
              />
            </Field>
            <Text
              className={`rqr-count${form.text.trim().length > REQUEST_TEXT_MAX ? ' rqr-count--over' : ''}`}
              data-testid="request-text-count"
            >
              {countText(form.text, REQUEST_TEXT_MAX)}
            </Text>
            <PhotoPicker
              photos={photos}
              onChange={setPhotos}
              onBusy={setUploading}
              max={MAX_REQUEST_PHOTOS}
              purpose="request"
              hint="仅社区和处理人可见"
              testId="request-photos-picker"
            />
          </View>

          <View className="card stack rq-card" data-testid="request-new-where">
            {homes.length > 1 ? (
              <Field label="是哪一户的事">
                <ToggleButtons
                  options={homes.map((m) => ({ value: m.householdId, label: m.address }))}
                  selected={[home.householdId]}
                  onToggle={setHouseholdId}
                  testId="request-household"
                />
              </Field>
            ) : null}
            <Field label="在哪里" error={errors.location} testId="request-location-field">
              <TextInput
                value={form.location}
                onChange={(location) => set({ location })}
                placeholder="如：3栋楼道、北门垃圾站"
                maxLength={REQUEST_LOCATION_MAX}
                testId="request-location"
              />
            </Field>
            <Text className="muted">已填好您家的地址；公共区域的事请改成具体位置。</Text>
            <Field label="怎么联系您">
              <ToggleButtons
                options={CONTACT_PREFERENCES.map((c) => ({ value: c, label: CONTACT_PREFERENCE_LABELS[c] }))}
                selected={[contact]}
                onToggle={setContact}
                testId="request-contact"
              />
            </Field>
          </View>

          {action.error ? (
            <Text className="rqr-error" data-testid="request-new-error">
              {`没有提交成功：${action.error}`}
            </Text>
          ) : null}
          <View className="rqr-submit">
            <Btn disabled={action.busy || uploading} onClick={submit} testId="request-new-submit">
              {action.busy ? '正在提交…' : uploading ? '照片上传中…' : '提交'}
            </Btn>
          </View>
        </>
      ) : null}
    </Page>
  );
}
