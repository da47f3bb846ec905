import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * Calls `reload` every `ms` while the page is on screen and `active` holds (a live emergency, a
 * board that changes under the reader). Stops when the page is hidden, starts again when shown.
 */
export function usePoll(reload: () => Promise<unknown>, ms: number, active = true): void {
  const visible = useRef(true);
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useDidShow(() => {
    visible.current = true;
  });
  useDidHide(() => {
    visible.current = false;
  });
  useEffect(() => {
    if (!active) return;
    // One request at a time: a slow answer must not pile up a queue behind it.
    let running = false;
    const timer = setInterval(() => {
      if (!visible.current || running) return;
      running = true;
      void reloadRef.current().finally(() => {
        running = false;
      });
    }, ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}
