import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { CONTACT_PREFERENCE_LABELS, type RequestDetail } from 'shared';
import { call } from '../api';
import { ApiError } from '../api/errors';
import { confirm } from '../common/confirm';
import { describeRequestError } from '../common/request-errors';
import { lateText, whenText } from '../common/request-model';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { ReasonAction } from '../components/ReasonAction';
import { RequestHandlerActions } from '../components/RequestHandlerActions';
import {
  DeadlineLine,
  HandlerLine,
  RequestContent,
  RequestHeadRow,
  RequestTimeline,
  ResolutionCard,
} from '../components/RequestViews';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useAnswered } from '../hooks/use-answered';
import { useApi } from '../hooks/use-api';
import { escalationCount, handlerChoices } from './requests-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './requests.scss';
import './requests-elder.scss';

/**
 * 诉求处理 (?id=): the request with the resident's contact, its clocks and escalations; dispatch
 * (or re-dispatch) to a staff member or a home-service shop, reject with a reason; and when the
 * staff member is the handler, accept and resolve it here.
 */
export default function OfficeRequestPage() {
  const { id = '' } = useRouter().params;
  const {
    state,
    current: r,
    answer: setAnswered,
  } = useAnswered(() => call('staffRequest', { params: { id } }), id);

  return (
    <Page name="officeRequest" state={state}>
      {r ? (
        <>
          <Head r={r} />
          <View className="card stack rq-card" data-testid="office-request-content">
            <Text className="card__title">反映的内容</Text>
            <RequestContent r={r} />
          </View>
          <ResolutionCard r={r} />
          {r.rating ? (
            <View className="card stack rq-card" data-testid="office-request-rating">
              <Text className="card__title">{`居民评价：${r.rating.stars} 星`}</Text>
              {r.rating.text ? <Text className="rq-text">{r.rating.text}</Text> : null}
            </View>
          ) : null}
          {r.actions.includes('dispatch') ? (
            <DispatchCard r={r} onDone={setAnswered} onStale={state.reload} />
          ) : null}
          <RequestHandlerActions r={r} side="staff" onDone={setAnswered} />
          {r.actions.includes('reject') ? <RejectCard r={r} onDone={setAnswered} /> : null}
          <RequestTimeline r={r} />
        </>
      ) : null}
    </Page>
  );
}

function Head({ r }: { r: RequestDetail }) {
  const late = lateText(r);
  const escalations = escalationCount(r.timeline);
  return (
    <View className="card stack rq-card" data-testid="office-request-head">
      <RequestHeadRow r={r} desk />
      {late ? <Text className="rqo-late">{late}</Text> : null}
      {escalations > 0 ? (
        <Text className="rqo-escalated" data-testid="office-request-escalated">
          {`已超时督办 ${escalations} 次，详见下方进度`}
        </Text>
      ) : null}
      <DeadlineLine r={r} />
      <Text className="muted">{`响应时限：${whenText(r.respondBy)}${r.respondedAt ? `（${whenText(r.respondedAt)} 已响应）` : ''}`}</Text>
      <Text className="muted">{`解决时限：${whenText(r.resolveBy)}${r.resolvedAt ? `（${whenText(r.resolvedAt)} 已解决）` : ''}`}</Text>
      {r.resident ? (
        <Text className="rq-line" data-testid="office-request-resident">
          {`居民：${r.resident.name}${r.resident.phone ? ` · ${r.resident.phone}` : ''}（${CONTACT_PREFERENCE_LABELS[r.contact]}）`}
        </Text>
      ) : null}
      <HandlerLine r={r} full />
      {r.rejectReason ? <Text className="rq-line">{`未受理原因：${r.rejectReason}`}</Text> : null}
    </View>
  );
}

/**
 * 派单 / 改派: the community's staff and its home-service shops (a repair puts the shops first),
 * a note for the handler, and the version the page was loaded at (someone else may have dispatched
 * meanwhile: then the page reloads and the error says so).
 */
function DispatchCard({
  r,
  onDone,
  onStale,
}: {
  r: RequestDetail;
  onDone: (r: RequestDetail) => void;
  onStale: () => Promise<void>;
}) {
  const handlers = useApi(() => call('requestHandlers', { params: { id: r.id } }), { key: r.id });
  const [picked, setPicked] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const action = useAction(describeRequestError);
  const choices = handlerChoices(handlers.data, r);
  const chosen = choices.find((c) => c.key === picked);
  const again = !!r.handler;

  const dispatch = async () => {
    if (!chosen) return;
    if (
      !(await confirm(again ? '改派' : '派单', `把这条诉求派给 ${chosen.name}？对方会收到通知。`, {
        confirmText: again ? '改派' : '派单',
      }))
    )
      return;
    const next = await action.run(async () => {
      try {
        return await call('dispatchRequest', {
          params: { id: r.id },
          body: { handler: chosen.handler, note: note.trim(), version: r.version },
        });
      } catch (err) {
        // Someone else dispatched or changed it first: show what it is now; the error says why.
        if (err instanceof ApiError && err.code === 'REQUEST_STATE_CONFLICT') await onStale();
        throw err;
      }
    });
    if (next) {
      void Taro.showToast({ title: again ? '已改派' : '已派单', icon: 'success' });
      setPicked(null);
      setNote('');
      onDone(next);
    }
  };

  return (
    <View className="card stack cc-card" data-testid="office-request-dispatch">
      <Text className="card__title">{again ? '改派' : '派单'}</Text>
      {handlers.error ? <Text className="field__error">{describeRequestError(handlers.error)}</Text> : null}
      {handlers.data && choices.length === 0 ? <Text className="muted">没有可派的处理人</Text> : null}
      {(['merchant', 'staff'] as const).map((kind) =>
        choices.some((c) => c.kind === kind) ? (
          <View key={kind} className="stack rqo-pick">
            <Text className="rqo-section">{kind === 'merchant' ? '上门服务商家' : '社区工作人员'}</Text>
            <ToggleButtons
              options={choices.filter((c) => c.kind === kind).map((c) => ({ value: c.key, label: c.label }))}
              selected={picked ? [picked] : []}
              onToggle={setPicked}
              testId={`office-dispatch-${kind}`}
            />
          </View>
        ) : null,
      )}
      <Field label="给处理人的说明（选填，居民看不到）">
        <TextInput
          value={note}
          onChange={setNote}
          placeholder="如：请今天下午上门"
          maxLength={200}
          testId="office-dispatch-note"
        />
      </Field>
      <Btn disabled={!chosen || action.busy} onClick={() => void dispatch()} testId="office-dispatch-submit">
        {action.busy ? '派单中…' : chosen ? `派给 ${chosen.name}` : '请先选择处理人'}
      </Btn>
      {action.error ? (
        <Text className="field__error" data-testid="office-dispatch-error">
          {action.error}
        </Text>
      ) : null}
    </View>
  );
}

/** 不予受理: with a reason the resident reads, after a confirm. */
function RejectCard({ r, onDone }: { r: RequestDetail; onDone: (r: RequestDetail) => void }) {
  return (
    <View className="card stack cc-card" data-testid="office-reject-card">
      <ReasonAction
        openText="不予受理"
        label="不予受理的原因（居民会看到）"
        placeholder="如：属于物业公司管理范围，已告知物业电话"
        maxLength={200}
        emptyError="请写明不予受理的原因，居民会看到"
        ask={{
          title: '不予受理',
          content: '居民会收到通知和原因，确定不予受理吗？',
          confirmText: '不予受理',
        }}
        submitText="确认不予受理"
        toast="已告知居民"
        submit={(reason) => call('rejectRequest', { params: { id: r.id }, body: { reason } })}
        onDone={onDone}
        describe={describeRequestError}
        testId="office-reject"
      />
    </View>
  );
}
