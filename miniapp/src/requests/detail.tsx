import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { CONTACT_PREFERENCE_LABELS, type RequestDetail } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { describeRequestError } from '../common/request-errors';
import { residentNextText, starsText } from '../common/request-model';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { ReasonAction } from '../components/ReasonAction';
import {
  DeadlineLine,
  HandlerLine,
  RequestContent,
  RequestHeadRow,
  RequestTimeline,
  ResolutionCard,
  StarPicker,
} from '../components/RequestViews';
import { TextArea } from '../components/TextArea';
import { useAction } from '../hooks/use-action';
import { useAnswered } from '../hooks/use-answered';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './requests.scss';
import './requests-elder.scss';

/**
 * 诉求详情 (?id=): where it stands and by when, who handles it, the photos, every event with its
 * time; rate it once resolved, reopen it once, or take it back before anyone accepted it.
 */
export default function RequestDetailPage() {
  const { id = '', new: fresh } = useRouter().params;
  const {
    state,
    current: r,
    answer: setAnswered,
  } = useAnswered(() => call('myRequest', { params: { id } }), id);

  return (
    <Page name="requestDetail" state={state}>
      {r ? (
        <>
          {fresh === '1' && r.status === 'submitted' ? (
            <Text className="rqr-ok" data-testid="request-created">
              已提交给社区，安排处理人后会通知您
            </Text>
          ) : null}
          <View className="card stack rq-card" data-testid="request-head">
            <RequestHeadRow r={r} />
            <Text className="rqr-next" data-testid="request-next">
              {residentNextText(r)}
            </Text>
            <DeadlineLine r={r} />
            <HandlerLine r={r} />
            <Text className="muted">{`联系方式：${CONTACT_PREFERENCE_LABELS[r.contact]}`}</Text>
          </View>

          <View className="card stack rq-card" data-testid="request-content">
            <Text className="card__title">反映的内容</Text>
            <RequestContent r={r} />
          </View>

          <ResolutionCard r={r} />

          {r.rating ? (
            <View className="card stack rq-card" data-testid="request-rating">
              <Text className="card__title">我的评价</Text>
              <Text className="rqr-rating" aria-label={`${r.rating.stars}星`}>
                {starsText(r.rating.stars)}
              </Text>
              {r.rating.text ? <Text className="rq-text">{r.rating.text}</Text> : null}
            </View>
          ) : null}

          {r.actions.includes('rate') ? <RateCard r={r} onDone={setAnswered} /> : null}
          {r.actions.includes('reopen') ? <ReopenCard r={r} onDone={setAnswered} /> : null}
          {r.actions.includes('withdraw') ? <WithdrawButton r={r} onDone={setAnswered} /> : null}

          <RequestTimeline r={r} />
        </>
      ) : null}
    </Page>
  );
}

type Done = (r: RequestDetail) => void;

/** 评价: 1-5 stars and a few words (optional); closes the request. */
function RateCard({ r, onDone }: { r: RequestDetail; onDone: Done }) {
  const [stars, setStars] = useState(0);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const action = useAction(describeRequestError);

  const rate = () => {
    if (!stars) {
      setError('请点星星打分');
      return;
    }
    setError(null);
    void action.run(async () => {
      onDone(await call('rateRequest', { params: { id: r.id }, body: { stars, text: text.trim() } }));
      void Taro.showToast({ title: '谢谢您的评价', icon: 'none' });
    });
  };

  return (
    <View className="card stack rq-card" data-testid="request-rate">
      <Text className="card__title">评价这次处理</Text>
      <StarPicker value={stars} onChange={setStars} />
      {error ? <Text className="field__error">{error}</Text> : null}
      <Field label="说几句（选填）">
        <TextArea
          value={text}
          onChange={setText}
          placeholder="如：师傅来得很快，修得很好"
          maxLength={300}
          testId="request-rate-text"
        />
      </Field>
      <Btn disabled={action.busy} onClick={rate} testId="request-rate-submit">
        {action.busy ? '提交中…' : '提交评价'}
      </Btn>
      {action.error ? <Text className="rqr-error">{action.error}</Text> : null}
    </View>
  );
}

/** 没解决，重新打开: once per request, with a reason, after a confirm. */
function ReopenCard({ r, onDone }: { r: RequestDetail; onDone: Done }) {
  return (
    <View className="card stack rq-card" data-testid="request-reopen-card">
      <ReasonAction
        openText="没解决，重新打开"
        title="重新打开（只能一次）"
        label="哪里还没解决"
        placeholder="如：水管还在滴水"
        maxLength={300}
        emptyError="请写一下哪里还没解决"
        ask={{
          title: '重新打开',
          content: '每条诉求只能重新打开一次，确定重新打开吗？',
          confirmText: '重新打开',
        }}
        submitText="重新打开"
        toast="已重新打开"
        submit={(reason) => call('reopenRequest', { params: { id: r.id }, body: { reason } })}
        onDone={onDone}
        describe={describeRequestError}
        testId="request-reopen"
      />
    </View>
  );
}

/** 撤回: while nobody has accepted it yet, after a confirm. */
function WithdrawButton({ r, onDone }: { r: RequestDetail; onDone: Done }) {
  const action = useAction(describeRequestError);
  const withdraw = async () => {
    if (
      !(await confirm('撤回诉求', '撤回后社区将不再处理这条诉求，确定撤回吗？', {
        confirmText: '撤回',
        cancelText: '再想想',
      }))
    )
      return;
    await action.run(async () => {
      onDone(await call('withdrawRequest', { params: { id: r.id }, body: {} }));
      void Taro.showToast({ title: '已撤回', icon: 'none' });
    });
  };
  return (
    <View className="rqr-submit">
      <Btn variant="ghost" disabled={action.busy} onClick={() => void withdraw()} testId="request-withdraw">
        {action.busy ? '撤回中…' : '撤回诉求'}
      </Btn>
      {action.error ? <Text className="rqr-error">{action.error}</Text> : null}
    </View>
  );
}
