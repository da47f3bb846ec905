import { ApiError, describeError } from '../api/errors';

/**
 * The care pages' own sentences for the codes their actions meet. Kept by code string: a code
 * the BFF does not send yet has no place in the shared registry (error-text.test.ts), but the
 * page must still say it plainly when it arrives.
 */
const CARE_CODES: Record<string, string> = {
  SLOT_TAKEN: '这个时间刚刚被别人约走了，请换一个时间',
  PROXY_NOT_ALLOWED: '代办时不能进行此操作，请退出代办后再试',
};

export function describeCareError(err: unknown): string {
  if (err instanceof ApiError && CARE_CODES[err.code]) return CARE_CODES[err.code]!;
  return describeError(err);
}

export const isSlotTaken = (err: unknown) => err instanceof ApiError && err.code === 'SLOT_TAKEN';
