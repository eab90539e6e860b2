/**
 * The rules of compliance.md §2, one `describe` per rule, each test a sentence about one customer.
 * "Now" is NOW (2025-06-15T12:00Z) unless a test says otherwise.
 */
import { describe, expect, it } from 'vitest';
import {
  MAGAZINE,
  NEWSPAPER,
  NOW,
  WEEKEND_PAPER,
  aBusiness,
  aPerson,
  allowed,
  at,
  blocked,
  evidenceOf,
  verdict,
} from './test-builders.ts';

describe('rule 1: service messages', () => {
  it('allows a service e-mail on the contract to someone who withdrew every consent and objected to marketing and profiling', () => {
    const anna = aPerson()
      .grants('marketing', null, '2024-01-01')
      .withdraws('marketing', null, '2025-01-01')
      .withdraws('service', 'email', '2025-01-02')
      .objects('2025-02-01')
      .objects('2025-02-01', 'profiling');
    const d = anna.decide('service', 'email');
    expect(verdict(d)).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
    expect(d.evidence.addressRef).toBe('email:0');
  });

  it('allows a service call to a number on the phone Robinson register', () => {
    const anna = aPerson().suppressed('phone', 'robinson', '2024-01-01');
    expect(verdict(anna.decide('service', 'phone'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });

  it('allows a service letter to an address on the postal Robinson register', () => {
    const anna = aPerson().suppressed('post', 'robinson', '2024-01-01');
    expect(verdict(anna.decide('service', 'post'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });

  it('allows a service e-mail to an address that complained about marketing or unsubscribed', () => {
    const anna = aPerson().suppressed('email', 'complaint', '2025-01-01').suppressed('email', 'unsubscribe', '2025-02-01');
    expect(verdict(anna.decide('service', 'email'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });

  it('blocks a service e-mail to a hard-bounced address with SUPPRESSED and shows the bounce', () => {
    const anna = aPerson().suppressed('email', 'hard_bounce', '2025-05-01', { source: 'dsn' });
    const d = anna.decide('service', 'email');
    expect(verdict(d)).toEqual(blocked('SUPPRESSED'));
    expect(d.evidence.suppressions).toEqual([
      { id: 1, reason: 'hard_bounce', at: '2025-05-01T00:00:00.000Z', validUntil: null, source: 'dsn' },
    ]);
  });

  it('blocks a service SMS to a customer without a phone number with NO_ADDRESS', () => {
    const anna = aPerson().withoutPhone();
    const d = anna.decide('service', 'sms');
    expect(verdict(d)).toEqual(blocked('NO_ADDRESS'));
    expect(d.evidence.addressRef).toBeNull();
  });

  it('blocks a service letter to a customer without a postal address with NO_ADDRESS', () => {
    expect(verdict(aPerson().withoutPostalAddress().decide('service', 'post'))).toEqual(blocked('NO_ADDRESS'));
  });

  it('blocks a service e-mail to a customer without an e-mail address with NO_ADDRESS', () => {
    expect(verdict(aPerson().withoutEmail().decide('service', 'email'))).toEqual(blocked('NO_ADDRESS'));
  });

  it('ignores a hard bounce on another channel', () => {
    const anna = aPerson().suppressed('email', 'hard_bounce', '2025-05-01');
    expect(verdict(anna.decide('service', 'sms'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });
});

describe('rule 2: objection wins', () => {
  it('blocks e-mail marketing with OBJECTED even though the person consented, and shows the objection', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').objects('2025-03-01', 'direct_marketing', { source: 'call' });
    const objection = anna.lastRecord();
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(blocked('OBJECTED'));
    expect(d.evidence.objection).toEqual(evidenceOf(objection));
    expect(d.evidence.objection?.source).toBe('call');
  });

  it('blocks soft-opt-in e-mail marketing of an existing customer who objected', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).objects('2025-03-01');
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('OBJECTED'));
  });

  it('blocks phone and post marketing of a person who objected', () => {
    const anna = aPerson().objects('2025-03-01');
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(blocked('OBJECTED'));
    expect(verdict(anna.decide('marketing', 'post'))).toEqual(blocked('OBJECTED'));
  });

  it('blocks e-mail marketing to a business that objected', () => {
    const firm = aBusiness().objects('2025-03-01');
    expect(verdict(firm.decide('marketing', 'email'))).toEqual(blocked('OBJECTED'));
  });

  it('blocks partner marketing despite a partner-marketing consent', () => {
    const anna = aPerson().grants('partner_marketing', 'email', '2024-01-01').objects('2025-03-01');
    expect(verdict(anna.decide('partner_marketing', 'email'))).toEqual(blocked('OBJECTED'));
  });

  it('blocks profiling', () => {
    const anna = aPerson().objects('2025-03-01');
    expect(verdict(anna.decide('profiling', 'email'))).toEqual(blocked('OBJECTED'));
  });

  it('blocks an ad-audience upload despite an ad-audience consent', () => {
    const anna = aPerson().grants('ad_audience', null, '2024-01-01').objects('2025-03-01');
    expect(verdict(anna.decide('ad_audience', 'email'))).toEqual(blocked('OBJECTED'));
  });

  it('does not block service messages of a person who objected', () => {
    const anna = aPerson().objects('2025-03-01');
    expect(verdict(anna.decide('service', 'email'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });

  it('does not block research of a customer who objected to direct marketing', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).objects('2025-03-01');
    expect(verdict(anna.decide('research', 'email'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
  });

  describe('research (rule 11)', () => {
    it('invites an existing customer on legitimate interest, on e-mail and SMS alike', () => {
      const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01', to: '2024-06-01' });
      expect(verdict(anna.decide('research', 'email'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
      expect(verdict(anna.decide('research', 'sms'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
    });

    it('needs consent from anyone who is not a customer', () => {
      expect(verdict(aPerson().decide('research', 'email'))).toEqual(blocked('NO_LEGAL_BASIS'));
      expect(verdict(aPerson().grants('research', 'email', '2025-01-01').decide('research', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    });

    it('stops at an opt-out of the channel, or of research on every channel', () => {
      const optedOut = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).withdraws('research', 'sms', '2025-03-01');
      expect(verdict(optedOut.decide('research', 'sms'))).toEqual(blocked('CONSENT_WITHDRAWN'));
      expect(verdict(optedOut.decide('research', 'email'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
      const objected = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).withdraws('research', null, '2025-03-01');
      expect(verdict(objected.decide('research', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
    });
  });

  it('lifts the objection when a later objection record is withdrawn, and the earlier consent counts again', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').objects('2025-01-01').liftsObjection('2025-04-01');
    const lifted = anna.lastRecord();
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.objection).toEqual(evidenceOf(lifted));
    expect(d.evidence.objection?.value).toBe('withdrawn');
  });

  it('applies again when the person objects after lifting an objection', () => {
    const anna = aPerson().objects('2025-01-01').liftsObjection('2025-02-01').objects('2025-03-01');
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(blocked('OBJECTED'));
  });

  it('does not let a profiling objection block marketing', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').objects('2025-01-01', 'profiling');
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.objection).toBeNull();
    expect(d.evidence.profilingObjection?.value).toBe('objected');
  });
});

describe('rule 3: e-mail and SMS marketing to a person', () => {
  it('allows e-mail marketing on consent when the person granted it, with the consent record as evidence', () => {
    const anna = aPerson().grants('marketing', 'email', '2025-01-10T09:30:00Z', {
      source: 'competition',
      noticeVersion: '2024-11',
      evidenceRef: 'form-submission-77',
      recordedAt: '2025-01-10T09:31:00Z',
    });
    const consent = anna.lastRecord();
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.consent).toEqual({
      seq: consent.seq,
      value: 'granted',
      at: '2025-01-10T09:30:00.000Z',
      recordedAt: '2025-01-10T09:31:00.000Z',
      source: 'competition',
      channel: 'email',
      noticeVersion: '2024-11',
      evidenceRef: 'form-submission-77',
    });
    expect(d.evidence).toMatchObject({
      asOf: NOW,
      customerId: anna.customer.id,
      purpose: 'marketing',
      channel: 'email',
      product: null,
      addressRef: 'email:0',
      objection: null,
      profilingObjection: null,
      suppressions: [],
      order: null,
      softOptInWindowStart: null,
    });
  });

  it('allows SMS marketing on an SMS consent', () => {
    const anna = aPerson().grants('marketing', 'sms', '2025-01-10');
    const d = anna.decide('marketing', 'sms');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.addressRef).toBe('phone:0');
  });

  it('does not let an e-mail consent cover SMS', () => {
    const anna = aPerson().grants('marketing', 'email', '2025-01-10');
    const d = anna.decide('marketing', 'sms');
    expect(verdict(d)).toEqual(blocked('NO_LEGAL_BASIS'));
    expect(d.evidence.consent).toBeNull();
  });

  it('blocks with CONSENT_WITHDRAWN when the person granted and later withdrew', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').withdraws('marketing', 'email', '2025-03-01', { source: 'unsubscribe_link' });
    const withdrawal = anna.lastRecord();
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(d.evidence.consent).toEqual(evidenceOf(withdrawal));
  });

  it('allows on consent when the person withdrew and later granted again', () => {
    const anna = aPerson().withdraws('marketing', 'email', '2024-01-01').grants('marketing', 'email', '2025-03-01');
    const grant = anna.lastRecord();
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.consent).toEqual(evidenceOf(grant));
  });

  it('takes the latest record by when it happened, not by the order it was stored in', () => {
    const anna = aPerson().withdraws('marketing', 'email', '2025-03-01').grants('marketing', 'email', '2024-01-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('breaks a tie between records of the same moment by insertion order', () => {
    const anna = aPerson().grants('marketing', 'email', '2025-03-01T10:00:00Z').withdraws('marketing', 'email', '2025-03-01T10:00:00Z');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('lets a channel-less withdrawal cover every channel', () => {
    const anna = aPerson()
      .grants('marketing', 'email', '2024-01-01')
      .grants('marketing', 'sms', '2024-01-01')
      .withdraws('marketing', null, '2025-03-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(verdict(anna.decide('marketing', 'sms'))).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(verdict(anna.decide('marketing', 'post'))).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(anna.decide('marketing', 'sms').evidence.consent?.channel).toBeNull();
  });

  it('lets a channel-less consent cover every channel', () => {
    const anna = aPerson().grants('marketing', null, '2024-01-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(verdict(anna.decide('marketing', 'sms'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
  });

  it('lets a later channel withdrawal after a channel-less consent block only that channel', () => {
    const anna = aPerson().grants('marketing', null, '2024-01-01').withdraws('marketing', 'sms', '2025-01-01');
    expect(verdict(anna.decide('marketing', 'sms'))).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
  });

  it('lets a later channel consent after a channel-less withdrawal allow only that channel', () => {
    const anna = aPerson().withdraws('marketing', null, '2024-01-01').grants('marketing', 'email', '2025-01-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(verdict(anna.decide('marketing', 'sms'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('does not let a consent for another purpose count', () => {
    const anna = aPerson().grants('partner_marketing', 'email', '2024-01-01').grants('site_ads', null, '2024-01-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('blocks e-mail marketing of a withdrawn consent even when soft opt-in would otherwise apply', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).withdraws('marketing', 'email', '2025-03-01');
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('allows soft opt-in for a product of the same category when the opt-out was offered and the order is active', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01', soldVia: 'telesales' });
    const d = anna.decide('marketing', 'email', { product: WEEKEND_PAPER });
    expect(verdict(d)).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
    expect(d.evidence.product).toBe('HS-WEEKEND');
    expect(d.evidence.consent).toBeNull();
    expect(d.evidence.order).toEqual({
      id: 'order-1',
      sku: 'HS-DIGI',
      category: 'news',
      startedAt: '2024-01-01T00:00:00.000Z',
      endedAt: null,
      optOutOffered: true,
    });
    expect(d.evidence.softOptInWindowStart).toBe('2024-06-15T12:00:00.000Z');
  });

  it('allows soft opt-in for SMS as well', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' });
    expect(verdict(anna.decide('marketing', 'sms', { product: NEWSPAPER }))).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
  });

  it('prefers consent to soft opt-in when both apply', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).grants('marketing', 'email', '2024-02-01');
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
  });

  it('blocks with NOT_SIMILAR_PRODUCT when the customer only ordered products of another category', () => {
    const anna = aPerson().ordered(MAGAZINE, { from: '2024-01-01' });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(blocked('NOT_SIMILAR_PRODUCT'));
    expect(d.evidence.order).toBeNull();
  });

  it('names every order it considered for NOT_SIMILAR_PRODUCT, none after the decision time, each not similar', () => {
    const anna = aPerson().ordered(MAGAZINE, { from: '2020-01-01', to: '2021-01-01' }).ordered(MAGAZINE, { from: '2024-01-01' }).ordered(NEWSPAPER, { from: '2030-01-01' });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(blocked('NOT_SIMILAR_PRODUCT'));
    expect(d.evidence.consideredOrders.map((o) => [o.id, o.category, o.similar, o.live])).toEqual([
      ['order-1', MAGAZINE.category, false, false],
      ['order-2', MAGAZINE.category, false, true],
    ]);
  });

  it('considers no orders when no product is marketed', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' });
    expect(anna.decide('marketing', 'email').evidence.consideredOrders).toEqual([]);
  });

  it('blocks with RELATIONSHIP_ENDED when the last similar order ended more than 12 months ago, and shows that order', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2022-01-01', to: '2024-05-31' });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(blocked('RELATIONSHIP_ENDED'));
    expect(d.evidence.order?.endedAt).toBe('2024-05-31T00:00:00.000Z');
    expect(d.evidence.softOptInWindowStart).toBe('2024-06-15T12:00:00.000Z');
  });

  it('still counts an order that ended exactly 12 months before the decision', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2022-01-01', to: '2024-06-15T12:00:00Z' });
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
  });

  it('no longer counts an order that ended a moment more than 12 months before the decision', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2022-01-01', to: '2024-06-15T11:59:59.999Z' });
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('RELATIONSHIP_ENDED'));
  });

  it('counts the relationship as live when any similar order is, even if another one ended long ago', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2015-01-01', to: '2016-01-01' }).ordered(WEEKEND_PAPER, { from: '2024-01-01', to: '2025-01-01' });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
    expect(d.evidence.order?.id).toBe('order-2');
  });

  it('lengthens the window when the setting says 24 months', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2020-01-01', to: '2023-12-15' }).withSettings({ softOptInMonths: 24 });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
    expect(d.evidence.softOptInWindowStart).toBe('2023-06-15T12:00:00.000Z');
  });

  it('shortens the window when the setting says 6 months', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2020-01-01', to: '2024-11-15' }).withSettings({ softOptInMonths: 6 });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(blocked('RELATIONSHIP_ENDED'));
    expect(d.evidence.softOptInWindowStart).toBe('2024-12-15T12:00:00.000Z');
  });

  it('blocks with OPT_OUT_NOT_OFFERED when the address was collected without a chance to refuse marketing', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01', optOutOffered: false });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER });
    expect(verdict(d)).toEqual(blocked('OPT_OUT_NOT_OFFERED'));
    expect(d.evidence.order?.optOutOffered).toBe(false);
  });

  it('lists both RELATIONSHIP_ENDED and OPT_OUT_NOT_OFFERED when the only similar order ended long ago without an opt-out', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2020-01-01', to: '2022-01-01', optOutOffered: false });
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(
      blocked('RELATIONSHIP_ENDED', 'OPT_OUT_NOT_OFFERED'),
    );
  });

  it('blocks with NO_LEGAL_BASIS when no marketed product is named, however active the customer is', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' });
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(blocked('NO_LEGAL_BASIS'));
    expect(d.evidence.order).toBeNull();
    expect(d.evidence.softOptInWindowStart).toBeNull();
  });

  it('blocks with NO_LEGAL_BASIS a person who never ordered anything', () => {
    const anna = aPerson();
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('NO_LEGAL_BASIS'));
    expect(verdict(anna.decide('marketing', 'sms', { product: NEWSPAPER }))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('blocks with SUPPRESSED e-mail marketing to an address that complained, consent notwithstanding', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').suppressed('email', 'complaint', '2025-03-01', { source: 'arf' });
    const d = anna.decide('marketing', 'email');
    expect(verdict(d)).toEqual(blocked('SUPPRESSED'));
    expect(d.evidence.suppressions).toEqual([{ id: 1, reason: 'complaint', at: '2025-03-01T00:00:00.000Z', validUntil: null, source: 'arf' }]);
    expect(verdict(anna.decide('service', 'email'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });

  it('blocks with SUPPRESSED soft-opt-in e-mail marketing to an address that unsubscribed', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).suppressed('email', 'unsubscribe', '2025-03-01');
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('SUPPRESSED'));
    expect(verdict(anna.decide('service', 'email'))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
  });

  it('no longer counts an unsubscribe from the time the person’s own new consent lifted it, and replays it before then', () => {
    const anna = aPerson()
      .withdraws('marketing', 'email', '2025-03-01')
      .suppressed('email', 'unsubscribe', '2025-03-01', { liftedAt: '2025-04-01' })
      .grants('marketing', 'email', '2025-04-01');
    const d = anna.decide('marketing', 'email', { at: '2025-04-01' });
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.suppressions).toEqual([]);
    expect(verdict(anna.decide('marketing', 'email', { at: '2025-03-15' }))).toEqual(blocked('CONSENT_WITHDRAWN', 'SUPPRESSED'));
  });

  it('blocks with NO_ADDRESS e-mail marketing to a consenting person without an e-mail address', () => {
    const anna = aPerson().withoutEmail().grants('marketing', 'email', '2024-01-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('NO_ADDRESS'));
  });
});

describe('rule 4: business customers', () => {
  it('allows e-mail marketing to a business on legitimate interest without consent or product', () => {
    const d = aBusiness().decide('marketing', 'email');
    expect(verdict(d)).toEqual(allowed('legitimate_interest', 'BUSINESS_CUSTOMER'));
  });

  it('allows SMS marketing to a business on legitimate interest', () => {
    expect(verdict(aBusiness().decide('marketing', 'sms', { product: NEWSPAPER }))).toEqual(allowed('legitimate_interest', 'BUSINESS_CUSTOMER'));
  });

  it('blocks e-mail marketing to a business that opted out, with CONSENT_WITHDRAWN', () => {
    const firm = aBusiness().withdraws('marketing', 'email', '2025-03-01');
    const d = firm.decide('marketing', 'email');
    expect(verdict(d)).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(d.evidence.consent?.value).toBe('withdrawn');
    expect(verdict(firm.decide('marketing', 'sms'))).toEqual(allowed('legitimate_interest', 'BUSINESS_CUSTOMER'));
  });

  it('blocks e-mail marketing to a business whose address complained', () => {
    const firm = aBusiness().suppressed('email', 'complaint', '2025-03-01');
    expect(verdict(firm.decide('marketing', 'email'))).toEqual(blocked('SUPPRESSED'));
  });
});

describe('rule 5: phone and post marketing', () => {
  it('allows phone marketing to a person on legitimate interest without consent', () => {
    const d = aPerson().decide('marketing', 'phone');
    expect(verdict(d)).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
    expect(d.evidence.addressRef).toBe('phone:0');
  });

  it('allows post marketing to a person on legitimate interest without consent', () => {
    const d = aPerson().decide('marketing', 'post', { product: MAGAZINE });
    expect(verdict(d)).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
    expect(d.evidence.addressRef).toBe('address');
  });

  it('blocks phone marketing with ROBINSON when the number is on the register at that time', () => {
    const anna = aPerson().suppressed('phone', 'robinson', '2024-01-01', { validUntil: '2027-01-01' });
    const d = anna.decide('marketing', 'phone');
    expect(verdict(d)).toEqual(blocked('ROBINSON'));
    expect(d.evidence.suppressions).toEqual([
      { id: 1, reason: 'robinson', at: '2024-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', source: 'asml-robinson' },
    ]);
  });

  it('allows phone marketing after the Robinson entry is no longer valid', () => {
    const anna = aPerson().suppressed('phone', 'robinson', '2021-01-01', { validUntil: '2024-01-01' });
    const d = anna.decide('marketing', 'phone');
    expect(verdict(d)).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
    expect(d.evidence.suppressions).toEqual([]);
  });

  it('blocks phone marketing with a phone Robinson registration without an end date within its 3 years', () => {
    const anna = aPerson().suppressed('phone', 'robinson', '2023-01-01');
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(blocked('ROBINSON'));
  });

  it('lets a phone Robinson registration without an end date lapse after 3 years (phoneRobinsonYears)', () => {
    // compliance.md rule 5: "a phone registration lasts 3 years"; settings.ts: phoneRobinsonYears.
    const anna = aPerson().suppressed('phone', 'robinson', '2021-01-01');
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
  });

  it('blocks phone marketing with CONSENT_WITHDRAWN when the person opted out of calls, but not post', () => {
    const anna = aPerson().withdraws('marketing', 'phone', '2025-03-01', { source: 'call' });
    const d = anna.decide('marketing', 'phone');
    expect(verdict(d)).toEqual(blocked('CONSENT_WITHDRAWN'));
    expect(d.evidence.consent?.channel).toBe('phone');
    expect(verdict(anna.decide('marketing', 'post'))).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
  });

  it('blocks post marketing with CONSENT_WITHDRAWN when the person opted out of direct mail', () => {
    const anna = aPerson().withdraws('marketing', 'post', '2025-03-01');
    expect(verdict(anna.decide('marketing', 'post'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('blocks post marketing with ROBINSON when the address is on the postal Robinson register', () => {
    const anna = aPerson().suppressed('post', 'robinson', '2020-01-01');
    expect(verdict(anna.decide('marketing', 'post'))).toEqual(blocked('ROBINSON'));
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
  });

  it('blocks post marketing with NO_ADDRESS when there is no postal address', () => {
    expect(verdict(aPerson().withoutPostalAddress().decide('marketing', 'post'))).toEqual(blocked('NO_ADDRESS'));
  });

  it('blocks phone marketing with NO_ADDRESS when there is no phone number', () => {
    expect(verdict(aPerson().withoutPhone().decide('marketing', 'phone'))).toEqual(blocked('NO_ADDRESS'));
  });
});

describe('rule 6: partner marketing', () => {
  it('allows partner marketing on a partner-marketing consent for that channel', () => {
    const anna = aPerson().grants('partner_marketing', 'email', '2025-01-01');
    const consent = anna.lastRecord();
    const d = anna.decide('partner_marketing', 'email');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.consent).toEqual(evidenceOf(consent));
  });

  it('never allows partner marketing on soft opt-in', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' });
    expect(verdict(anna.decide('partner_marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('does not let a consent to the company’s own marketing cover partners', () => {
    const anna = aPerson().grants('marketing', null, '2025-01-01');
    expect(verdict(anna.decide('partner_marketing', 'email'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('does not let an e-mail partner consent cover SMS', () => {
    const anna = aPerson().grants('partner_marketing', 'email', '2025-01-01');
    expect(verdict(anna.decide('partner_marketing', 'sms'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('needs consent from a business too', () => {
    expect(verdict(aBusiness().decide('partner_marketing', 'email'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('needs consent on phone and post, where the company’s own marketing would not', () => {
    expect(verdict(aPerson().decide('partner_marketing', 'phone'))).toEqual(blocked('NO_LEGAL_BASIS'));
    expect(verdict(aPerson().decide('partner_marketing', 'post'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('blocks with CONSENT_WITHDRAWN once the partner consent is withdrawn', () => {
    const anna = aPerson().grants('partner_marketing', 'email', '2024-01-01').withdraws('partner_marketing', null, '2025-01-01');
    expect(verdict(anna.decide('partner_marketing', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('blocks with SUPPRESSED partner marketing to an address that complained', () => {
    const anna = aPerson().grants('partner_marketing', 'email', '2024-01-01').suppressed('email', 'complaint', '2025-01-01');
    expect(verdict(anna.decide('partner_marketing', 'email'))).toEqual(blocked('SUPPRESSED'));
  });
});

describe('rule 7: profiling', () => {
  it('allows profiling on legitimate interest without any consent or address', () => {
    const anna = aPerson().withoutEmail();
    expect(verdict(anna.decide('profiling', 'email'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
    expect(verdict(anna.decide('profiling', 'web'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
  });

  it('blocks profiling with PROFILING_OBJECTED and shows the objection', () => {
    const anna = aPerson().objects('2025-01-01', 'profiling');
    const objection = anna.lastRecord();
    const d = anna.decide('profiling', 'web');
    expect(verdict(d)).toEqual(blocked('PROFILING_OBJECTED'));
    expect(d.evidence.profilingObjection).toEqual(evidenceOf(objection));
  });

  it('lists both objections when the person objected to marketing and to profiling', () => {
    const anna = aPerson().objects('2025-01-01').objects('2025-01-02', 'profiling');
    expect(verdict(anna.decide('profiling', 'web'))).toEqual(blocked('OBJECTED', 'PROFILING_OBJECTED'));
  });

  it('does not let a profiling objection block e-mail or phone marketing', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').objects('2025-01-01', 'profiling');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
  });

  it('allows profiling again once the profiling objection is lifted', () => {
    const anna = aPerson().objects('2025-01-01', 'profiling').liftsObjection('2025-02-01', 'profiling');
    expect(verdict(anna.decide('profiling', 'web'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
  });

  it('is not stopped by a withdrawn profiling consent, since it never rested on consent', () => {
    const anna = aPerson().withdraws('profiling', null, '2025-01-01');
    expect(verdict(anna.decide('profiling', 'web'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
  });
});

describe('rule 8: ad audiences', () => {
  it('blocks an upload with NO_LEGAL_BASIS without an ad-audience consent', () => {
    expect(verdict(aPerson().decide('ad_audience', 'email'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('does not let soft opt-in or a marketing consent stand in for the ad-audience consent', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).grants('marketing', null, '2024-01-01');
    expect(verdict(anna.decide('ad_audience', 'email', { product: NEWSPAPER }))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('allows an upload on an ad-audience consent', () => {
    const anna = aPerson().grants('ad_audience', null, '2025-01-01');
    const d = anna.decide('ad_audience', 'email');
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.consent?.value).toBe('granted');
  });

  it('blocks an upload with PROFILING_OBJECTED despite the consent', () => {
    const anna = aPerson().grants('ad_audience', null, '2024-01-01').objects('2025-01-01', 'profiling');
    expect(verdict(anna.decide('ad_audience', 'email'))).toEqual(blocked('PROFILING_OBJECTED'));
  });

  it('blocks an upload with CONSENT_WITHDRAWN once the consent is withdrawn', () => {
    const anna = aPerson().grants('ad_audience', null, '2024-01-01').withdraws('ad_audience', null, '2025-01-01');
    expect(verdict(anna.decide('ad_audience', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('blocks an upload of a hard-bounced address', () => {
    const anna = aPerson().grants('ad_audience', null, '2024-01-01').suppressed('email', 'hard_bounce', '2025-01-01');
    expect(verdict(anna.decide('ad_audience', 'email'))).toEqual(blocked('SUPPRESSED'));
  });
});

describe('rule 9: site ads', () => {
  it('blocks site ads with NO_LEGAL_BASIS without a site-ads consent', () => {
    expect(verdict(aPerson().decide('site_ads', 'web'))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('does not let soft opt-in or a marketing consent stand in for the site-ads consent', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).grants('marketing', null, '2024-01-01');
    expect(verdict(anna.decide('site_ads', 'web', { product: NEWSPAPER }))).toEqual(blocked('NO_LEGAL_BASIS'));
  });

  it('allows site ads on a site-ads consent, with no address needed', () => {
    const anna = aPerson().withoutEmail().grants('site_ads', null, '2025-01-01');
    expect(verdict(anna.decide('site_ads', 'web'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(verdict(anna.decide('site_ads', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
  });

  it('blocks site ads with CONSENT_WITHDRAWN once the consent is withdrawn', () => {
    const anna = aPerson().grants('site_ads', 'web', '2024-01-01').withdraws('site_ads', 'web', '2025-01-01');
    expect(verdict(anna.decide('site_ads', 'web'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });
});

describe('rule 10: call recording', () => {
  it('lets a call be recorded on legitimate interest when the person has not said no', () => {
    expect(verdict(aPerson().decide('call_recording', 'phone'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
  });

  it('stops recording with CONSENT_WITHDRAWN once the person refused it', () => {
    const anna = aPerson().withdraws('call_recording', 'phone', '2025-01-01');
    expect(verdict(anna.decide('call_recording', 'phone'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('is not stopped by an objection to direct marketing or by a Robinson entry: a service call may still be recorded', () => {
    const anna = aPerson().objects('2024-01-01').suppressed('phone', 'robinson', '2025-01-01');
    expect(verdict(anna.decide('call_recording', 'phone'))).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
  });

  it('needs a phone number to call', () => {
    expect(verdict(aPerson().withoutPhone().decide('call_recording', 'phone'))).toEqual(blocked('NO_ADDRESS'));
  });
});

describe('several reasons at once', () => {
  it('lists every blocking reason of an objector who withdrew consent and complained', () => {
    const anna = aPerson()
      .grants('marketing', 'email', '2023-01-01')
      .withdraws('marketing', 'email', '2024-01-01')
      .objects('2024-02-01')
      .suppressed('email', 'complaint', '2024-03-01');
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('OBJECTED', 'CONSENT_WITHDRAWN', 'SUPPRESSED'));
  });

  it('lists objection, phone opt-out and Robinson together', () => {
    const anna = aPerson().objects('2024-02-01').withdraws('marketing', 'phone', '2024-03-01').suppressed('phone', 'robinson', '2024-04-01');
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(blocked('OBJECTED', 'CONSENT_WITHDRAWN', 'ROBINSON'));
  });

  it('lists both objections and the missing consent of an ad-audience upload', () => {
    const anna = aPerson().objects('2024-02-01').objects('2024-02-01', 'profiling');
    expect(verdict(anna.decide('ad_audience', 'email'))).toEqual(blocked('OBJECTED', 'PROFILING_OBJECTED', 'NO_LEGAL_BASIS'));
  });

  it('lists the missing basis and the missing address', () => {
    expect(verdict(aPerson().withoutEmail().decide('marketing', 'email'))).toEqual(blocked('NO_LEGAL_BASIS', 'NO_ADDRESS'));
  });

  it('lists a lapsed soft opt-in without an opt-out and a hard bounce', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2020-01-01', to: '2022-01-01', optOutOffered: false }).suppressed('email', 'hard_bounce', '2025-01-01');
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(
      blocked('RELATIONSHIP_ENDED', 'OPT_OUT_NOT_OFFERED', 'SUPPRESSED'),
    );
  });
});

describe('"as of" replay', () => {
  it('ignores a consent granted after the decision time', () => {
    const anna = aPerson().grants('marketing', 'email', '2025-03-01');
    const d = anna.decide('marketing', 'email', { at: '2025-02-01' });
    expect(verdict(d)).toEqual(blocked('NO_LEGAL_BASIS'));
    expect(d.evidence.asOf).toBe('2025-02-01T00:00:00.000Z');
    expect(d.evidence.consent).toBeNull();
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
  });

  it('ignores a withdrawal made after the decision time', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').withdraws('marketing', 'email', '2025-03-01');
    expect(verdict(anna.decide('marketing', 'email', { at: '2025-02-01' }))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(verdict(anna.decide('marketing', 'email'))).toEqual(blocked('CONSENT_WITHDRAWN'));
  });

  it('counts a record made at exactly the decision time', () => {
    const anna = aPerson().grants('marketing', 'email', '2025-03-01T10:00:00Z');
    expect(verdict(anna.decide('marketing', 'email', { at: '2025-03-01T10:00:00Z' }))).toEqual(allowed('consent', 'CONSENT_GRANTED'));
  });

  it('ignores an order started after the decision time', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2025-03-01' });
    const d = anna.decide('marketing', 'email', { product: NEWSPAPER, at: '2025-02-01' });
    expect(verdict(d)).toEqual(blocked('NO_LEGAL_BASIS'));
    expect(d.evidence.order).toBeNull();
    expect(d.evidence.softOptInWindowStart).toBe('2024-02-01T00:00:00.000Z');
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
  });

  it('treats an order that ends after the decision time as active then', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2020-01-01', to: '2023-01-01' });
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER, at: '2022-06-01' }))).toEqual(allowed('soft_opt_in', 'SOFT_OPT_IN'));
    expect(verdict(anna.decide('marketing', 'email', { product: NEWSPAPER }))).toEqual(blocked('RELATIONSHIP_ENDED'));
  });

  it('ignores a suppression added after the decision time', () => {
    const anna = aPerson().grants('marketing', 'email', '2024-01-01').suppressed('email', 'hard_bounce', '2025-03-01');
    const d = anna.decide('marketing', 'email', { at: '2025-02-01' });
    expect(verdict(d)).toEqual(allowed('consent', 'CONSENT_GRANTED'));
    expect(d.evidence.suppressions).toEqual([]);
    expect(verdict(anna.decide('service', 'email', { at: '2025-02-01' }))).toEqual(allowed('contract', 'SERVICE_MESSAGE'));
    expect(verdict(anna.decide('service', 'email'))).toEqual(blocked('SUPPRESSED'));
  });

  it('ignores a Robinson registration made after the decision time', () => {
    const anna = aPerson().suppressed('phone', 'robinson', '2025-03-01');
    expect(verdict(anna.decide('marketing', 'phone', { at: '2025-02-01' }))).toEqual(allowed('legitimate_interest', 'OPT_OUT_REGIME'));
    expect(verdict(anna.decide('marketing', 'phone'))).toEqual(blocked('ROBINSON'));
  });

  it('ignores an objection made after the decision time', () => {
    const anna = aPerson().objects('2025-03-01');
    const d = anna.decide('profiling', 'web', { at: '2025-02-01' });
    expect(verdict(d)).toEqual(allowed('legitimate_interest', 'LEGITIMATE_INTEREST'));
    expect(d.evidence.objection).toBeNull();
  });

  it('gives the same answer for the same time however often it is asked', () => {
    const anna = aPerson().ordered(NEWSPAPER, { from: '2024-01-01' }).grants('marketing', 'sms', '2024-06-01');
    const when = at('2025-01-01');
    expect(anna.decide('marketing', 'sms', { at: when })).toEqual(anna.decide('marketing', 'sms', { at: when }));
  });
});
