import { Button } from '@tarojs/components';
import type { ReactNode } from 'react';
import { a11y } from './a11y';

interface BtnProps {
  children: ReactNode;
  onClick: () => void;
  /** '' (primary), 'ghost', 'danger'; 'small' may be added: 'ghost small'. */
  variant?: string;
  disabled?: boolean;
  testId?: string;
  /** Accessible name when the text alone does not say it (− and + of a stepper). */
  label?: string;
  /** A toggle button: selected (filled) or not; screen readers hear 已按下 / 未按下. */
  pressed?: boolean;
}

/**
 * Button with our styles. `disabled` is only set when true: Taro H5 renders disabled="false" as an
 * attribute, which its own CSS treats as disabled. On H5 Taro's button is a custom element with no
 * role: installKeyboardActivation gives it role, tab stop and Enter/Space.
 */
export function Btn({ children, onClick, variant = '', disabled, testId, label, pressed }: BtnProps) {
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
      {...a11y({ label, pressed, disabled })}
    >
      {children}
    </Button>
  );
}
