import { ApiError, describeError } from '../api/errors';
import { PROVIDER_FIELD_HINTS } from './apply-model';
import { CAREGIVER_FIELD_HINTS } from './caregiver-model';

/** The provider console's sentences: field hints for its forms, then the registry's copy. */
export function providerErrorText(err: unknown): string {
  return describeError(err, {
    fields: {
      ...PROVIDER_FIELD_HINTS,
      ...CAREGIVER_FIELD_HINTS,
      startsAt: '请假时间有误',
      endsAt: '结束时间要晚于开始时间',
    },
    codes: { NOT_FOUND: '没有找到，可能已被删除或不属于您的机构，请刷新' },
  });
}

/** The envelope's details by top-level field (`body.compoundIds.0` -> `compoundIds`), in Chinese. */
export function fieldErrorsOf(err: unknown, hints: Record<string, string>): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details) {
    const field = d.path.replace(/^body\./, '').split('.')[0] ?? '';
    if (field && !out[field]) out[field] = hints[field] ?? d.message;
  }
  return out;
}
