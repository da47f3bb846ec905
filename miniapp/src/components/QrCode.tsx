import { View } from '@tarojs/components';
import { useMemo } from 'react';
import { darkRuns, qrMatrix } from './qr';
import './qr-code.scss';

/**
 * A QR code drawn with Views: each row a strip, its dark runs as bars placed by percentage, so the
 * code scales with the box (set in CSS) and needs no canvas on either platform.
 */
export function QrCode({ text, testId }: { text: string; testId?: string }) {
  const rows = useMemo(() => qrMatrix(text), [text]);
  const size = rows.length;
  const pct = (n: number) => `${((n / size) * 100).toFixed(4)}%`;
  return (
    <View className="qr" data-testid={testId} data-modules={size}>
      {rows.map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a fixed matrix have no identity
        <View key={r} className="qr__row">
          {darkRuns(row).map(([start, length]) => (
            <View key={start} className="qr__bar" style={{ left: pct(start), width: pct(length) }} />
          ))}
        </View>
      ))}
    </View>
  );
}
