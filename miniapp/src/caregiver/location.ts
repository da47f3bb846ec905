import Taro from '@tarojs/taro';
import { LOCATION_PROBLEM_TEXT, type LocationProblem, locationProblem } from './visit-model';

export class LocationError extends Error {
  constructor(readonly problem: LocationProblem) {
    super(LOCATION_PROBLEM_TEXT[problem]);
    this.name = 'LocationError';
  }
}

/**
 * Where the phone is, for a clock-in or clock-out. WeChat gives GCJ-02 (the coordinates Chinese maps
 * and our compounds use); Taro's H5 getLocation knows only the browser's WGS-84, so H5 asks for that.
 */
export async function currentPosition(): Promise<{ lat: number; lng: number }> {
  try {
    const res = await Taro.getLocation({
      type: process.env.TARO_ENV === 'h5' ? 'wgs84' : 'gcj02',
      isHighAccuracy: true,
      highAccuracyExpireTime: 10_000,
    });
    return { lat: res.latitude, lng: res.longitude };
  } catch (err) {
    throw new LocationError(locationProblem(err));
  }
}

/** weapp: the settings page where a refused location permission can be turned back on. */
export async function openLocationSettings(): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return;
  try {
    await Taro.openSetting();
  } catch {
    // The person closed it; the next 打卡 asks again.
  }
}
