import type { Api, RouteName } from 'shared';

/** The `:name` parameters of a route path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!);
}

/** The routes of the API table whose path names a resource through a parameter. */
export type ParamRoute = {
  [N in RouteName]: Api[N]['path'] extends `${string}:${string}` ? N : never;
}[RouteName];

type Table = Record<string, { method: string; path: string }>;

/**
 * What keeps `cases` from covering every route of `table` that takes a path parameter: one line
 * per route without a case (naming it, its method and path), and one per case that names no such
 * route (a renamed or removed route leaves a case that would test nothing). Empty when covered.
 */
export function coverageGaps(table: Table, cases: Record<string, unknown>): string[] {
  const gaps: string[] = [];
  for (const [name, def] of Object.entries(table)) {
    const params = pathParams(def.path);
    if (params.length > 0 && !Object.hasOwn(cases, name))
      gaps.push(
        `${name} (${def.method} ${def.path}) takes ${params.map((p) => `:${p}`).join(', ')} but has no case: ` +
          'add one to CASES in bff/test/access/foreign-token.test.ts',
      );
  }
  for (const name of Object.keys(cases)) {
    const def = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!def || pathParams(def.path).length === 0)
      gaps.push(`case ${name} names no route with a path parameter: remove or rename it`);
  }
  return gaps;
}

/** The path with every parameter filled with `id`. */
export const fillPath = (path: string, id: string) =>
  path.replace(/:([A-Za-z_$][\w$]*)/g, () => encodeURIComponent(id));
