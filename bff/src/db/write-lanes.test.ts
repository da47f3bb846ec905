import { describe, expect, it } from 'vitest';
import { writeLanes } from './write-lanes';

/** A write the test finishes by hand, to hold a lane busy. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

function recorder(opts: { max?: number; failMany?: boolean; failOne?: (n: number) => boolean } = {}) {
  const calls: string[] = [];
  const first = gate();
  let held = true;
  const lanes = writeLanes<number, string>({
    max: opts.max ?? 10,
    one: async (n) => {
      calls.push(`one:${n}`);
      if (held) {
        held = false;
        await first.opened;
      }
      if (opts.failOne?.(n)) throw new Error(`no ${n}`);
      return `r${n}`;
    },
    many: async (ns) => {
      calls.push(`many:${ns.join(',')}`);
      if (opts.failMany) throw new Error('batch failed');
      return ns.map((n) => `r${n}`);
    },
  });
  return { calls, lanes, release: first.open };
}

describe('writeLanes', () => {
  it('sends a lone write at once, and writes that arrive meanwhile together, in arrival order', async () => {
    const { calls, lanes, release } = recorder();
    const first = lanes('shop', 1);
    const rest = [2, 3, 4].map((n) => lanes('shop', n));
    expect(calls).toEqual(['one:1']);
    release();
    expect(await Promise.all([first, ...rest])).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(calls).toEqual(['one:1', 'many:2,3,4']);
  });

  it('carries at most max writes per statement', async () => {
    const { calls, lanes, release } = recorder({ max: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => lanes('shop', n));
    release();
    await Promise.all(all);
    expect(calls).toEqual(['one:1', 'many:2,3', 'many:4,5']);
  });

  it('keeps lanes apart', async () => {
    const { calls, lanes, release } = recorder();
    const a = lanes('a', 1);
    const b = lanes('b', 2);
    expect(calls).toEqual(['one:1', 'one:2']);
    release();
    expect(await Promise.all([a, b])).toEqual(['r1', 'r2']);
  });

  it('sends each write of a failed batch alone, so one bad write fails only itself', async () => {
    const { calls, lanes, release } = recorder({ failMany: true, failOne: (n) => n === 3 });
    const all = [1, 2, 3, 4].map((n) => lanes('shop', n));
    release();
    const settled = await Promise.allSettled(all);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      'r1',
      'r2',
      'no 3',
      'r4',
    ]);
    expect(calls).toEqual(['one:1', 'many:2,3,4', 'one:2', 'one:3', 'one:4']);
  });

  it('frees the lane when it drains, and a failed first write does not stall it', async () => {
    const { calls, lanes, release } = recorder({ failOne: (n) => n === 1 });
    const first = lanes('shop', 1);
    const second = lanes('shop', 2);
    release();
    await expect(first).rejects.toThrow('no 1');
    expect(await second).toBe('r2');
    expect(await lanes('shop', 3)).toBe('r3');
    expect(calls).toEqual(['one:1', 'one:2', 'one:3']);
  });
});
