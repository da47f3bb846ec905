import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { MAX_REQUEST_PHOTOS, type RequestDetail } from 'shared';
import { call } from '../api';
import { describeRequestError } from '../common/request-errors';
import { useAction } from '../hooks/use-action';
import { Btn } from './Btn';
import { Field } from './Field';
import { type ChosenPhoto, PhotoPicker } from './PhotoPicker';
import { ReasonAction } from './ReasonAction';
import { TextArea } from './TextArea';

/** The handler's routes: a staff member handling it themself, or the shop it was dispatched to. */
const ROUTES = {
  staff: { accept: 'staffAcceptRequest', decline: 'staffDeclineRequest', resolve: 'staffResolveRequest' },
  merchant: {
    accept: 'merchantAcceptRequest',
    decline: 'merchantDeclineRequest',
    resolve: 'merchantResolveRequest',
  },
} as const;

/**
 * What the handler does with a request: 接单 (or 退回 with a reason, back to staff to dispatch
 * again), then 处理完成 with a note and photos of the work. Only the buttons `r.actions` allows.
 */
export function RequestHandlerActions({
  r,
  side,
  onDone,
}: {
  r: RequestDetail;
  side: 'staff' | 'merchant';
  onDone: (r: RequestDetail) => void;
}) {
  const [open, setOpen] = useState(false);
  const action = useAction(describeRequestError);
  const routes = ROUTES[side];
  const can = (a: 'accept' | 'decline' | 'resolve') => r.actions.includes(a);
  if (!can('accept') && !can('decline') && !can('resolve')) return null;

  const accept = () =>
    action.run(async () => {
      onDone(await call(routes.accept, { params: { id: r.id }, body: {} }));
      void Taro.showToast({ title: '已接单', icon: 'success' });
    }, 'accept');

  return (
    <View className="card stack rq-card" data-testid="request-handler-actions">
      <Text className="card__title">{can('resolve') ? '处理' : '接单'}</Text>
      <View className="cc-actions">
        {can('accept') ? (
          <Btn disabled={action.busy} onClick={() => void accept()} testId="request-accept">
            {action.runningKey === 'accept' ? '接单中…' : '接单'}
          </Btn>
        ) : null}
        {can('resolve') ? (
          <Btn variant={open ? 'ghost' : ''} onClick={() => setOpen(!open)} testId="request-resolve-open">
            处理完成
          </Btn>
        ) : null}
      </View>
      {action.error ? <Text className="field__error">{action.error}</Text> : null}
      {open ? (
        <ResolveForm r={r} route={routes.resolve} onDone={onDone} onClose={() => setOpen(false)} />
      ) : null}
      {can('decline') ? (
        <ReasonAction
          openText="无法处理，退回社区"
          label="退回原因"
          placeholder="如：不在服务范围、缺少配件"
          maxLength={200}
          emptyError="请写明无法处理的原因，社区会另行派单"
          ask={{ title: '退回诉求', content: '退回后社区会重新派单，确定退回吗？', confirmText: '退回' }}
          submitText="确认退回"
          toast="已退回社区"
          submit={(reason) => call(routes.decline, { params: { id: r.id }, body: { reason } })}
          onDone={onDone}
          describe={describeRequestError}
          testId="request-decline"
        />
      ) : null}
    </View>
  );
}

function ResolveForm({
  r,
  route,
  onDone,
  onClose,
}: {
  r: RequestDetail;
  route: 'staffResolveRequest' | 'merchantResolveRequest';
  onDone: (r: RequestDetail) => void;
  onClose: () => void;
}) {
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const action = useAction(describeRequestError);

  const resolve = () => {
    if (!note.trim()) {
      setError('请写明怎么处理的，居民会看到');
      return;
    }
    setError(null);
    void action.run(async () => {
      const next = await call(route, {
        params: { id: r.id },
        body: { note: note.trim(), photos: photos.map((p) => p.id) },
      });
      void Taro.showToast({ title: '已提交处理结果', icon: 'success' });
      onClose();
      onDone(next);
    });
  };

  return (
    <View className="cc-edit stack" data-testid="request-resolve-form">
      <Field label="处理情况" error={error}>
        <TextArea
          value={note}
          onChange={setNote}
          placeholder="如：已更换水龙头，试用无渗漏"
          maxLength={500}
          testId="request-resolve-note"
        />
      </Field>
      <PhotoPicker
        photos={photos}
        onChange={setPhotos}
        onBusy={setUploading}
        max={MAX_REQUEST_PHOTOS}
        purpose="request"
        hint="居民和社区可见"
        testId="request-resolve-photos"
      />
      <Btn disabled={action.busy || uploading} onClick={resolve} testId="request-resolve-submit">
        {action.busy ? '提交中…' : uploading ? '照片上传中…' : '提交处理结果'}
      </Btn>
      {action.error ? <Text className="field__error">{action.error}</Text> : null}
    </View>
  );
}
