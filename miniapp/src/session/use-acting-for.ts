import { useSyncExternalStore } from 'react';
import { actingFor } from '../api';
import type { ActingFor } from './acting-for';

/** The elder currently acted for, or null; re-renders when 为TA代办 / 退出代办 is tapped. */
export function useActingFor(): ActingFor | null {
  return useSyncExternalStore(actingFor.subscribe, actingFor.get, actingFor.get);
}
