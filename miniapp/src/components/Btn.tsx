import { Button } from '@tarojs/components';
import type { ReactNode } from 'react';

interface BtnProps {
  children: ReactNode;
  onClick: () => void;
  /** '' (primary), 'ghost', 'danger'; 'small' may be added: 'ghost small'. */
  variant?: string;
  disabled?: boolean;
  testId?: string;
}

/**
 * Button with our styles. `disabled` is only set when true: Taro H5 renders disabled="false" as an
 * attribute, which its own CSS treats as disabled.
 */
export function Btn({ children, onClick, variant = '', disabled, testId }: BtnProps) {
  const modifiers = variant
    .split(' ')
    .filter(Boolean)
    .map((v) => ` btn--${v}`)
    .join('');
  return (
    <Button
      className={`btn${modifiers}${disabled ? ' btn--disabled' : ''}`}
      disabled={disabled ? true : undefined}
      onClick={disabled ? undefined : onClick}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}
