/**
 * Status code, SMTP reply code and diagnostic phrases → bounce class. Pure: no I/O.
 *
 * The enhanced status code decides when it is specific (5.x.x hard, 4.x.x soft, 2.x.x other).
 * A generic code (`5.0.0`, `4.0.0`) or none says only "it failed", so the reason phrase decides;
 * when there is no recognisable reason either, the result is `other` (held for a human), because
 * suppressing an address on an unexplained failure would lose a customer on a receiver's whim.
 */

export type BounceClass = 'hard' | 'soft' | 'complaint' | 'other';

export type Reason =
  | 'userunknown'
  | 'hostunknown'
  | 'hasmoved'
  | 'suspend'
  | 'mailboxfull'
  | 'systemfull'
  | 'expired'
  | 'toomanyconn'
  | 'mesgtoobig'
  | 'virusdetected'
  | 'spamdetected'
  | 'authfailure'
  | 'requireptr'
  | 'securityerror'
  | 'norelaying'
  | 'notaccept'
  | 'mailererror'
  | 'networkerror'
  | 'syntaxerror'
  | 'policyviolation'
  | 'blocked'
  | 'filtered'
  | 'rejected';

/** Natural class of a reason when no specific status code is given. */
const SOFT_REASONS = new Set<Reason>(['mailboxfull', 'systemfull', 'expired', 'toomanyconn', 'networkerror']);

/**
 * Phrases per reason, checked in order: the more specific reasons come first because texts often
 * contain generic words ("rejected", "blocked") next to the real cause.
 */
const REASON_PHRASES: readonly (readonly [Reason, RegExp])[] = [
  ['virusdetected', /virus|malware|infected|banned attachment|harmful/i],
  ['mesgtoobig', /message (size )?(is )?(too (big|large)|exceeds|size exceeds)|size limit|exceeds? (the )?(maximum|message size)|message file too big|mail size limit|too large/i],
  ['spamdetected', /\bspam\b|spamhaus|junk mail|content filter|blacklisted content|bulk mail|unsolicited/i],
  ['authfailure', /\bdmarc\b|\bspf\b (check )?fail|dkim.*fail|authentication (failed|required)|not authenticated|policy.*authentication|sender (is )?not authorized|unauthenticated/i],
  ['requireptr', /\bptr\b|reverse dns|rdns|no dns record for your ip|cannot find your hostname|does not have a valid.*dns/i],
  ['mailboxfull', /mailbox (is )?full|over ?quota|quota (exceeded|full)|exceeded (storage|the quota)|insufficient (system )?storage|mailbox.*(exceeds|exceeded)|disk quota|account is full|user is over|mailfolder is full/i],
  ['systemfull', /insufficient system (resources|storage)|system (disk|storage) (is )?full|mail system full|out of disk|too many messages in queue/i],
  ['expired', /retry (time(out)?|period) exceeded|message expired|expired in queue|could not be delivered for|delivery time expired|too long in queue|queue time ?out|time limit exceeded|timeout exceeded|been delayed|gave up|giving up|retry timeout|message timed out|retry limit|will be retried|warning message only/i],
  ['toomanyconn', /too many (connections|concurrent|sessions)|connection limit|rate limit|too many recipients this session/i],
  ['suspend', /(account|mailbox|address) (has been |is )?(disabled|suspended|inactive|deactivated|not active)|disabled|suspended|inactive|dormant/i],
  ['hasmoved', /has moved|user not local;? please try|address has changed|forwarding.*no longer/i],
  ['hostunknown', /host (or domain name )?not found|unknown (host|domain)|domain (not found|does not exist|is not valid)|no such domain|name or service not known|host not found|name server|nxdomain|no mx|mx record|unrouteable mail domain|hostname lookup|dns lookup|unroutable domain|illegal host\/domain|domain (does not|doesn't) exist|no route to host|all relevant mx records point to non-existent hosts|host unknown/i],
  [
    'userunknown',
    /user unknown|unknown user|no such (user|mailbox|recipient|address|person)|user (not found|doesn'?t exist|does not exist)|(mailbox|recipient|address|account|user) (is )?(unavailable|not found|unknown|does not exist|doesn't exist|invalid)|invalid (mailbox|recipient|address|user)|address rejected|not a valid (mailbox|recipient|user)|unrouteable address|no mailbox here|not our customer|recipient not|unknown (local[- ]part|recipient|address|mailbox)|doesn't have a .* account|does not have an account|nosuchuser|no longer (available|valid)|not listed in|couldn't be found|unable to find|email account that you tried to reach does not exist|resolver\.adr\.recipnotfound|recipientnotfound|there is no one at this address|bad destination mailbox|addressee unknown|user \S+ not known|not known here|destination address (is )?(invalid|unknown)|uknown|does not exist|no valid recipients/i,
  ],
  ['norelaying', /relay(ing)? (access )?(denied|not permitted|not allowed|prohibited)|not permitted to relay|unable to relay|we do not relay|open relay|no relaying/i],
  ['notaccept', /does not accept mail|not accepting (any )?mail|null mx|mail not accepted|no mail accepted|accepts no mail/i],
  ['securityerror', /tls required|encryption required|security polic|starttls|certificate|not secure|insecure|authentication mechanism/i],
  ['syntaxerror', /syntax error|bad sequence of commands|command (not )?(recognized|unrecognized)|line too long|invalid command/i],
  ['networkerror', /connection (refused|timed out|reset|lost|dropped)|network (is )?unreachable|could not connect|lost connection|too many hops|loop(s)? (back|detected)|mail loop|routing loop|hop count/i],
  ['mailererror', /mailer error|pipe to \||command (died|failed|output)|exit status|process exited|x-unix;|local delivery failed/i],
  ['policyviolation', /policy (violation|reasons|rejection)|violat|prohibited|not allowed by policy|acceptable use/i],
  ['blocked', /block(ed|list)|black ?list|denylist|rbl|listed (at|on|in)|reputation|banned|access denied|refused|poor reputation|ip (address )?(is )?not allowed|client host rejected|unsolicited mail originating|sender address rejected|your ip/i],
  // Google Groups: the group does not exist or the sender may not post to it.
  ['rejected', /permission to post|投稿する権限/i],
  ['filtered', /filter|not accepted|refuses to accept|recipient rejected|no longer accepts/i],
  ['rejected', /reject|denied|not allowed|refus|restricted|not authorized|sender.*(invalid|unknown)|domain of sender/i],
];

/** Reasons are stated near the start; the cap bounds the cost of the phrase list on huge input. */
const MAX_REASON_TEXT = 16 * 1024;

export function detectReason(text: string): Reason | null {
  // Multi-line SMTP replies repeat the code on every line ("550-… not permitted to\n550 relay");
  // drop the repeats so phrases that span lines still match.
  const flat = text.slice(0, MAX_REASON_TEXT).replace(/(^|\s)[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?/g, ' ').replace(/\s+/g, ' ');
  for (const [reason, re] of REASON_PHRASES) if (re.test(flat)) return reason;
  return null;
}

export interface ClassifyInput {
  /** Enhanced status code, e.g. `5.1.1`. */
  readonly status: string | null;
  /** SMTP reply code, e.g. `550`. */
  readonly replyCode: string | null;
  /** Diagnostic text written by the receiving or reporting server. */
  readonly text: string;
  /** DSN `Action` (failed, delayed, delivered, relayed, expanded). */
  readonly action?: string | null;
}

export interface Classification {
  readonly class: BounceClass;
  /** The status to report: the given one, or one derived from the reply code or reason. */
  readonly status: string | null;
  readonly reason: Reason | null;
}

/** Standard codes for reasons, used when a message gives a reason but no status code. */
const REASON_STATUS: Record<Reason, string> = {
  userunknown: '5.1.1',
  hostunknown: '5.1.2',
  hasmoved: '5.1.6',
  suspend: '5.2.1',
  mailboxfull: '4.2.2',
  systemfull: '4.3.1',
  expired: '4.4.7',
  toomanyconn: '4.3.2',
  mesgtoobig: '5.3.4',
  virusdetected: '5.7.0',
  spamdetected: '5.7.1',
  authfailure: '5.7.26',
  requireptr: '5.7.25',
  securityerror: '5.7.0',
  norelaying: '5.7.1',
  notaccept: '5.1.10',
  mailererror: '5.3.0',
  networkerror: '4.4.1',
  syntaxerror: '5.5.2',
  policyviolation: '5.7.0',
  blocked: '5.7.1',
  filtered: '5.2.0',
  rejected: '5.7.1',
};

export function classify(input: ClassifyInput): Classification {
  const action = input.action?.toLowerCase() ?? null;
  const status = input.status;
  const reason = detectReason(input.text);
  if (action === 'delivered' || action === 'relayed' || action === 'expanded' || status?.startsWith('2.') === true) {
    return { class: 'other', status: status ?? '2.0.0', reason: null };
  }
  if (status !== null && !isGeneric(status)) return { class: classOfDigit(status), status, reason };

  if (action === 'delayed') {
    // Still being retried: temporary by definition, whatever the reason.
    const derived = reason === null ? null : REASON_STATUS[reason];
    return { class: 'soft', status: status ?? (derived?.startsWith('4.') === true ? derived : '4.0.0'), reason };
  }
  const replyDigit = input.replyCode?.[0] ?? null;
  const digit = status?.[0] ?? (action === 'delayed' ? '4' : replyDigit === '4' || replyDigit === '5' ? replyDigit : null);
  if (reason === null) {
    // Failed, but nobody says why: hold for a human instead of suppressing.
    return { class: 'other', status: status ?? (digit === null ? null : `${digit}.0.0`), reason: null };
  }
  const derived = REASON_STATUS[reason];
  if (digit !== null) return { class: classOfDigit(digit), status: status ?? (derived[0] === digit ? derived : `${digit}.0.0`), reason };
  return { class: SOFT_REASONS.has(reason) ? 'soft' : 'hard', status: derived, reason };
}

/** `X.0.0` says only success/temporary/permanent, nothing about the cause. */
export function isGeneric(status: string): boolean {
  return /^\d\.0\.0$/.test(status);
}

function classOfDigit(statusOrDigit: string): BounceClass {
  const d = statusOrDigit[0];
  if (d === '5') return 'hard';
  if (d === '4') return 'soft';
  return 'other';
}
