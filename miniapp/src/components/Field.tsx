import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

/** A labelled form row with its error underneath (a client check or the envelope's details). */
export function Field({
  label,
  error,
  children,
  testId,
}: {
  label: string;
  error?: string | null;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <View className="field" data-testid={testId}>
      <Text className="field__label">{label}</Text>
      {children}
      {error ? <FieldError testId={testId ? `${testId}-error` : undefined}>{error}</FieldError> : null}
    </View>
  );
}

/** An error line under a field or a group of fields. */
export function FieldError({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Text className="field__error" data-testid={testId}>
      {children}
    </Text>
  );
}
