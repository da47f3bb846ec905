import { ageOn, DISPLAY_TZ, localClock } from 'shared';

/** From this age the app turns elder mode on by itself (the community's elder services start here too). */
export const ELDER_AGE = 80;

/** The one line shown while elder mode is on without the person having asked for it. */
export const ELDER_AUTO_NOTE = '已为您开启长辈模式（大字），可在「我的」关闭';

/** Why elder mode is on or off: the person's own choice, or what the app saw. */
export type ElderReason = 'choice' | 'proxy' | 'age' | 'system' | 'none';

export interface ElderSignals {
  /** The person's own choice (remembered on their account); null = let the app decide. */
  choice: boolean | null;
  /** A family member is acting for an elder (代办): they read the elder's screens. */
  actingForElder: boolean;
  /** Age in whole years from the birth date, or null when none is recorded. */
  age: number | null;
  /** The phone's or browser's text size is set large (WeChat 字体大小 / 关怀模式, browser font size). */
  largeSystemText: boolean;
}

/** Elder mode and why: the person's choice always wins, then proxy, then age, then the system's text size. */
export function decideElderMode(s: ElderSignals): { on: boolean; reason: ElderReason } {
  if (s.choice !== null) return { on: s.choice, reason: 'choice' };
  if (s.actingForElder) return { on: true, reason: 'proxy' };
  if (s.age !== null && s.age >= ELDER_AGE) return { on: true, reason: 'age' };
  if (s.largeSystemText) return { on: true, reason: 'system' };
  return { on: false, reason: 'none' };
}

/** Age today in Asia/Shanghai, or null without a birth date. */
export function ageToday(birthDate: string | null, now: Date = new Date()): number | null {
  return birthDate ? ageOn(birthDate, localClock(now, DISPLAY_TZ).date) : null;
}

/**
 * WeChat's 字体大小 (`fontSizeSetting`, px; 17 is the standard size on iOS, 16 on Android) and the
 * scale 关怀模式 applies (`fontSizeScaleFactor`, newer base libraries): large from two steps up.
 */
export function isLargeWechatFont(fontSizeSetting?: number, fontSizeScaleFactor?: number): boolean {
  return (fontSizeSetting ?? 0) >= 20 || (fontSizeScaleFactor ?? 1) >= 1.2;
}

/** The browser's default text size in px (16 unless the person set it larger, e.g. Chrome's 大 = 20). */
export function isLargeBrowserFont(defaultFontPx: number): boolean {
  return Number.isFinite(defaultFontPx) && defaultFontPx > 16;
}
