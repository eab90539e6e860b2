/**
 * lupa.js's remarketing lists with a stand-in fetch: without a visitor id (no site_ads consent)
 * nothing is asked and the answer is empty; with one, the lists are asked of the site's Lupa and
 * pushed to the dataLayer for Google's tag only while ad_personalization is granted; an unreachable
 * Lupa gives an empty list, not an error.
 */
import { describe, expect, it } from 'vitest';
import { remarketingLists, type RemarketingAsk } from '../../src/sdk/remarketing.ts';

function setup(over: Partial<RemarketingAsk>, answer: () => Promise<Response> = async () => Response.json({ lists: [{ id: 3, name: 'tilaus-kesken' }] })) {
  const asked: string[] = [];
  const layer: unknown[] = [];
  const ask: RemarketingAsk = {
    base: 'https://lupa.example.fi/',
    site: 'uutisvirta.fi',
    visitorId: 'vis_abc_0000000001',
    adPersonalization: true,
    fetch: async (url) => {
      asked.push(url);
      return answer();
    },
    dataLayer: () => layer,
    ...over,
  };
  return { ask, asked, layer };
}

describe('lupa.remarketing()', () => {
  it('asks nothing and answers nothing without a visitor id (no site_ads consent)', async () => {
    const { ask, asked, layer } = setup({ visitorId: null, adPersonalization: false });
    expect(await remarketingLists(ask)).toEqual([]);
    expect(asked).toEqual([]);
    expect(layer).toEqual([]);
  });

  it("answers the visitor's lists and pushes them to the dataLayer with ad_personalization granted", async () => {
    const { ask, asked, layer } = setup({});
    expect(await remarketingLists(ask)).toEqual([{ id: 3, name: 'tilaus-kesken' }]);
    expect(asked).toEqual(['https://lupa.example.fi/v1/remarketing/lists?visitor=vis_abc_0000000001&site=uutisvirta.fi']);
    expect(layer).toEqual([{ event: 'lupa_remarketing', lupa_lists: ['tilaus-kesken'], lupa_list_ids: [3] }]);
  });

  it('pushes nothing to the dataLayer while ad_personalization is denied', async () => {
    const { ask, layer } = setup({ adPersonalization: false });
    expect(await remarketingLists(ask)).toHaveLength(1);
    expect(layer).toEqual([]);
  });

  it('answers an empty list when Lupa refuses or cannot be reached', async () => {
    expect(await remarketingLists(setup({}, async () => new Response('{}', { status: 403 })).ask)).toEqual([]);
    expect(await remarketingLists(setup({}, () => Promise.reject(new TypeError('offline'))).ask)).toEqual([]);
  });
});
