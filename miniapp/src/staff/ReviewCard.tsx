import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatDisplayTime, type StaffMembership } from 'shared';
import type { z } from 'zod';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { StatusTag } from '../components/StatusTag';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';

interface Props {
  item: z.infer<typeof StaffMembership>;
  onReviewed: () => Promise<void>;
}

/** One request: applicant, address, and 通过 / 驳回 (驳回 needs a reason). */
export function ReviewCard({ item, onReviewed }: Props) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();

  async function review(action: 'approve' | 'reject') {
    if (action === 'reject' && !reason.trim()) {
      setError('请填写驳回原因');
      return;
    }
    await run(async () => {
      if (action === 'approve') {
        await call('approveMembership', { params: { id: item.id }, body: {} });
      } else {
        await call('rejectMembership', { params: { id: item.id }, body: { note: reason.trim() } });
      }
      void Taro.showToast({ title: action === 'approve' ? '已通过' : '已驳回', icon: 'success' });
      await onReviewed();
    });
  }

  const applicant = `${item.applicant.name}${item.applicant.phoneMasked ? `（${item.applicant.phoneMasked}）` : ''}`;

  return (
    <View className="card stack" data-testid={`review-${item.id}`}>
      <View className="row">
        <Text className="card__title">{applicant}</Text>
        <StatusTag status={item.status} />
      </View>
      <Text>{item.address}</Text>
      <Text className="muted">{`申请时间 ${formatDisplayTime(item.createdAt)}`}</Text>
      {item.reviewNote ? <Text className="muted">{`审核备注：${item.reviewNote}`}</Text> : null}
      {error ? <Text className="state__message">{error}</Text> : null}
      {item.status === 'pending' && !rejecting ? (
        <View className="row">
          <Btn disabled={busy} onClick={() => void review('approve')} testId="review-approve">
            通过
          </Btn>
          <Btn variant="ghost" disabled={busy} onClick={() => setRejecting(true)} testId="review-reject">
            驳回
          </Btn>
        </View>
      ) : null}
      {item.status === 'pending' && rejecting ? (
        <View className="stack">
          <TextInput
            placeholder="请输入驳回原因"
            maxLength={200}
            value={reason}
            onChange={setReason}
            testId="review-reason"
          />
          <View className="row">
            <Btn
              variant="danger"
              disabled={busy}
              onClick={() => void review('reject')}
              testId="review-reject-confirm"
            >
              确认驳回
            </Btn>
            <Btn variant="ghost" disabled={busy} onClick={() => setRejecting(false)}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}
    </View>
  );
}
