import { describe, expect, it } from 'vitest';
import { describePin, nudge } from './apply-model';

const GINKGO = { name: '银杏院', location: { lat: 30.6512, lng: 104.0583 } };
const WUTONG = { name: '梧桐院', location: { lat: 30.6538, lng: 104.0612 } };

describe('the H5 shop pin: start at a compound, then fine-tune', () => {
  it('moves about 20 m per tap in each direction', () => {
    const start = GINKGO.location;
    const north = nudge(start, 'north');
    expect((north.lat - start.lat) * 111_320).toBeCloseTo(20, 0);
    expect(north.lng).toBe(start.lng);
    const east = nudge(start, 'east');
    expect((east.lng - start.lng) * 111_320 * Math.cos((start.lat * Math.PI) / 180)).toBeCloseTo(20, 0);
    expect(nudge(nudge(start, 'west'), 'east').lng).toBeCloseTo(start.lng, 5);
  });

  it('says where the pin is from the nearest compound gate', () => {
    const compounds = [GINKGO, WUTONG, { name: '未测绘', location: null }];
    expect(describePin(GINKGO.location, compounds)).toBe('银杏院门口');
    expect(describePin(nudge(nudge(GINKGO.location, 'east', 30), 'north', 30), compounds)).toBe(
      '银杏院东北约 40 米',
    );
    expect(describePin(nudge(WUTONG.location, 'south', 60), compounds)).toBe('梧桐院南约 60 米');
    expect(describePin({ lat: 30.7, lng: 104.06 }, compounds)).toBe('梧桐院北约 5.1 公里');
    expect(describePin(GINKGO.location, [{ name: '未测绘', location: null }])).toBeNull();
  });
});
