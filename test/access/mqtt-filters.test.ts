// Which feeds an MQTT subscription filter reaches: a filter is held to a class of topics only by literal levels, and
// one that can reach topics no rule covers is refused.
import { describe, expect, it } from 'vitest';
import { feedsOfFilter } from '../../engine/access/index.ts';

const types = (filter: string, alertTopic?: string) => feedsOfFilter(filter, alertTopic)?.map((f) => f.type) ?? null;

describe('feedsOfFilter', () => {
  it('device topics read the raw events; the alert topic reads alerts; anything wider has no rule', () => {
    expect(types('city/#')).toEqual(['device-events']);
    expect(types('city/+/cam-1')).toEqual(['device-events']);
    expect(feedsOfFilter('city/camera/cam-1', undefined)).toEqual([{ type: 'device-events', family: 'camera' }]);
    expect(types('ioc/alerts/#', 'ioc/alerts')).toEqual(['alerts']);
    expect(types('ioc/alerts/critical/+', 'ioc/alerts/')).toEqual(['alerts']);
    for (const wide of ['#', '+/camera/x', 'ioc/#', '+/alerts/#', '$SYS/#', 'elsewhere/x'])
      expect(types(wide, 'ioc/alerts'), wide).toBeNull();
  });

  it('a device filter that can also reach an alert topic under city/ needs both rights', () => {
    expect(types('city/#', 'city/alerts')).toEqual(['device-events', 'alerts']);
    expect(types('city/+/x', 'city/alerts')).toEqual(['device-events', 'alerts']);
    expect(types('city/camera/#', 'city/alerts')).toEqual(['device-events']);
    expect(types('city/alerts/#', 'city/alerts')).toEqual(['alerts']);
  });
});
