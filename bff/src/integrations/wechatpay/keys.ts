/**
 * Keys and certificates come from config as a PEM file path or the PEM itself (an environment
 * variable, where newlines are often written as a literal `\n`). The PEM text never appears in an
 * error: only which setting was wrong.
 */
import { readFileSync } from 'node:fs';

export function loadPem(source: { pem?: string | null; path?: string | null }, label: string): string {
  let text: string;
  if (source.pem?.trim()) {
    text = source.pem;
  } else if (source.path?.trim()) {
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (e) {
      throw new Error(
        `${label}: cannot read the PEM file at ${source.path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  } else {
    throw new Error(`${label}: give the PEM or a path to it`);
  }
  const pem = text.replace(/\\n/g, '\n').trim();
  if (!/^-----BEGIN [A-Z0-9 ]+-----\n[\s\S]+\n-----END [A-Z0-9 ]+-----$/.test(pem))
    throw new Error(`${label}: not a PEM (expected -----BEGIN ...----- lines)`);
  return `${pem}\n`;
}
