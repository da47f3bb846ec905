/** Fills `:name` segments from params and appends a query string (undefined values are skipped). */
export function buildUrl(
  base: string,
  path: string,
  params?: Record<string, string>,
  query?: Record<string, unknown>,
): string {
  const filled = path.replace(/:([A-Za-z_]\w*)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined) throw new Error(`missing path param "${key}" for ${path}`);
    return encodeURIComponent(value);
  });
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return `${base.replace(/\/$/, '')}${filled}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}
