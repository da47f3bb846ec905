import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { REPORT_REASON_LABELS, REPORT_REASONS, type ReportReason } from 'shared';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { TextArea } from '../components/TextArea';
import { ToggleButtons } from '../components/ToggleButtons';

const OPTIONS = REPORT_REASONS.map((r) => ({ value: r, label: REPORT_REASON_LABELS[r] }));

/**
 * 举报: why (one of the listed reasons) and, if they like, a few words; staff read both. Reports
 * from several neighbours hide the post until staff look at it.
 */
export function ReportSheet({
  what,
  busy,
  error,
  onSubmit,
  onCancel,
  testId,
}: {
  what: string;
  busy: boolean;
  error: string | null;
  onSubmit: (body: { reason: ReportReason; note?: string }) => void;
  onCancel: () => void;
  testId: string;
}) {
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <View className="card stack nb-sheet" data-testid={testId}>
      <Text className="card__title">{`举报${what}`}</Text>
      <Field label="举报原因" error={missing ? '请选择举报原因' : null}>
        <ToggleButtons
          options={OPTIONS}
          selected={reason ? [reason] : []}
          onToggle={(r) => {
            setReason(r);
            setMissing(false);
          }}
          testId={`${testId}-reason`}
        />
      </Field>
      <Field label="补充说明（选填）">
        <TextArea
          value={note}
          onChange={setNote}
          placeholder="写下具体情况，方便工作人员核实"
          maxLength={200}
        />
      </Field>
      <Text className="muted">多位邻居举报后内容会先被隐藏，由社区工作人员审核处理。</Text>
      {error ? <Text className="error-text">{error}</Text> : null}
      <View className="cc-actions">
        <Btn
          variant="danger"
          disabled={busy}
          onClick={() => {
            if (!reason) setMissing(true);
            else onSubmit({ reason, note: note.trim() || undefined });
          }}
          testId={`${testId}-submit`}
        >
          {busy ? '提交中…' : '提交举报'}
        </Btn>
        <Btn variant="ghost" onClick={onCancel} testId={`${testId}-cancel`}>
          取消
        </Btn>
      </View>
    </View>
  );
}
