/**
 * Every stateful flow (memberships, proxy links, orders, payments, lockers, and next bookings and
 * help tasks) is a
 * machine written as data: its states and, per event, the states it may start from and the state
 * it leads to. The BFF turns an event into one conditional UPDATE over `sourcesOf(event)`, so the
 * database decides races; the mini-program uses `can` to show only the buttons that will work.
 */
export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
}

export interface Machine<S extends string, E extends string> {
  name: string;
  states: readonly S[];
  transitions: Readonly<Record<E, Transition<S>>>;
}

export function defineMachine<const S extends string, const E extends string>(
  m: Machine<S, E>,
): Machine<S, E> {
  for (const [event, t] of Object.entries(m.transitions) as [string, Transition<S>][]) {
    for (const s of [...t.from, t.to]) {
      if (!m.states.includes(s)) throw new Error(`${m.name}.${event}: unknown state ${s}`);
    }
  }
  return m;
}

export class IllegalTransition extends Error {
  constructor(
    readonly machine: string,
    readonly event: string,
    readonly from: string,
  ) {
    super(`${machine}: cannot ${event} from ${from}`);
    this.name = 'IllegalTransition';
  }
}

/** States from which `event` may fire: the WHERE of the conditional update. */
export function sourcesOf<S extends string, E extends string>(m: Machine<S, E>, event: E): readonly S[] {
  return m.transitions[event].from;
}

export function can<S extends string, E extends string>(m: Machine<S, E>, from: S, event: E): boolean {
  return m.transitions[event].from.includes(from);
}

/** The state `event` leads to from `from`, or IllegalTransition. */
export function next<S extends string, E extends string>(m: Machine<S, E>, from: S, event: E): S {
  if (!can(m, from, event)) throw new IllegalTransition(m.name, event, from);
  return m.transitions[event].to;
}

/** Events that may fire from a state, in declaration order. */
export function eventsFrom<S extends string, E extends string>(m: Machine<S, E>, from: S): E[] {
  return (Object.keys(m.transitions) as E[]).filter((e) => can(m, from, e));
}
