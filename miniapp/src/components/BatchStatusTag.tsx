import { Text } from '@tarojs/components';
import { BATCH_STATUS_LABELS, type Batch } from 'shared';

const TONE: Record<Batch['status'], string> = {
  building: 'pending',
  ready: 'pending',
  in_progress: 'active',
  done: 'approved',
};

export function BatchStatusTag({ status }: { status: Batch['status'] }) {
  return (
    <Text className={`tag tag--${TONE[status]}`} data-testid="batch-status">
      {BATCH_STATUS_LABELS[status]}
    </Text>
  );
}
