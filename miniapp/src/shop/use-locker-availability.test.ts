import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { call } from '../api';
import type { Availability } from './cart-model';
import { useLockerAvailability } from './use-locker-availability';

vi.mock('../api', () => ({ call: vi.fn() }));
const lockerAvailability = vi.mocked(call as (name: string, options: unknown) => Promise<unknown>);

const answer = (windowId: string) => ({ windowId, banks: [] });

/** A plan that needs w1, then w2 once w1 has answered: how a full bank asks for later windows. */
const plan = (availability: Availability) => ({
  toLoad: availability.w1?.data ? ['w1', 'w2'] : ['w1'],
});

describe('useLockerAvailability', () => {
  beforeEach(() => {
    lockerAvailability.mockReset();
    lockerAvailability.mockImplementation(async (_name, options) =>
      answer((options as { query: { windowId: string } }).query.windowId),
    );
  });

  it('loads each window the plan asks for once, reading the plan again as answers come', async () => {
    const { result } = renderHook(() => useLockerAvailability('k', 1, plan));
    await waitFor(() => expect(result.current.availability.w2?.data).toEqual(answer('w2')));
    expect(result.current.availability.w1?.data).toEqual(answer('w1'));
    expect(lockerAvailability.mock.calls.map(([, o]) => o)).toEqual([
      { query: { compoundId: 'k', windowId: 'w1' } },
      { query: { compoundId: 'k', windowId: 'w2' } },
    ]);
  });

  it('starts afresh for a new answer of the cart loader, and keeps a failure to show', async () => {
    const { result, rerender } = renderHook(({ at }) => useLockerAvailability('k', at, plan), {
      initialProps: { at: 1 },
    });
    await waitFor(() => expect(result.current.availability.w2?.data).toBeDefined());
    lockerAvailability.mockRejectedValueOnce(new Error('offline'));
    rerender({ at: 2 });
    // The old answer's windows are gone; w1 is being asked again.
    expect(result.current.availability).toEqual({ w1: {} });
    await waitFor(() => expect(result.current.availability.w1?.error).toEqual(new Error('offline')));
    expect(lockerAvailability).toHaveBeenCalledTimes(3);
  });

  it('asks nothing without a compound to ask about', async () => {
    const { result } = renderHook(() => useLockerAvailability(null, 1, plan));
    await act(async () => undefined);
    expect(result.current.toLoad).toEqual(['w1']);
    expect(lockerAvailability).not.toHaveBeenCalled();
  });
});
