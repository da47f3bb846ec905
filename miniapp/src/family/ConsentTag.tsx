import { Text } from '@tarojs/components';
import type { ProxyLink } from 'shared';

type ConsentStatus = ProxyLink['consentStatus'];

export const CONSENT_STATUS_TEXT: Record<ConsentStatus, string> = {
  pending: '等待确认',
  granted: '已同意',
  revoked: '已解除',
};

const TAG_CLASS = { pending: 'tag--pending', granted: 'tag--approved', revoked: 'tag--rejected' } as const;

/** A status label, not a control (NutUI's Tag listens for taps, which made it look like one). */
export function ConsentTag({ status }: { status: ConsentStatus }) {
  return (
    <Text className={`tag ${TAG_CLASS[status]} consent-tag`} data-testid={`consent-${status}`}>
      {CONSENT_STATUS_TEXT[status]}
    </Text>
  );
}
