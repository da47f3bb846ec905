import { Tag } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';
import type { ProxyLink } from 'shared';

type ConsentStatus = ProxyLink['consentStatus'];

export const CONSENT_STATUS_TEXT: Record<ConsentStatus, string> = {
  pending: '等待确认',
  granted: '已同意',
  revoked: '已解除',
};

const TAG_TYPE = { pending: 'warning', granted: 'success', revoked: 'default' } as const;

export function ConsentTag({ status }: { status: ConsentStatus }) {
  return (
    <Tag type={TAG_TYPE[status]} className="consent-tag" data-testid={`consent-${status}`}>
      {CONSENT_STATUS_TEXT[status]}
    </Tag>
  );
}
