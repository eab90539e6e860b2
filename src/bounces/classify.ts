/**
 * Status code, SMTP reply code, diagnostic phrases and a provider's verdict → bounce class, by the
 * failure's cause (compliance.md §3; the reasons follow Sisimai's taxonomy). Pure: no I/O.
 *
 * The cause decides, not the first digit: the recipient's address does not exist or is disabled →
 * `hard`; a full mailbox or another passing condition → `soft`; the sender's reputation, content,
 * authentication or policy → `other` with cause `sender` (the recipient is never suppressed for it).
 * The reason is read from the text first, from a specific status code when the text names none;
 * the digit (or a provider's explicit Permanent/Transient verdict, which wins over it) only says
 * whether a recipient-side failure is permanent. A failure whose cause nobody states is `other`,
 * because suppressing an address on an unexplained failure would lose a customer on a receiver's whim.
 */
export type BounceClass = 'hard' | 'soft' | 'complaint' | 'other';

/** Whose side a failure is on: the recipient's address, a passing condition, or the sender. */
export type BounceCause = 'recipient' | 'temporary' | 'sender';

/** A provider's own statement of permanence (Amazon SES `bounceType`, a DSN `Action: delayed`). */
export type Verdict = 'permanent' | 'transient';

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

/**
 * Phrases per reason, lower case (the text is lower-cased before), checked in order: the more specific reasons come first because texts often
 * contain generic words ("rejected", "blocked") next to the real cause.
 */
const REASON_PHRASES: readonly (readonly [Reason, RegExp])[] = [
  ['virusdetected', /virus|malware|infected|banned attachment|harmful/],
  ['mesgtoobig', /message (size )?(is )?(too (big|large)|exceeds|size exceeds)|size limit|exceeds? (the )?(maximum|message size)|message file too big|mail size limit|too large/],
  // The sending IP on a DNS block list names the list ("blocked using zen.spamhaus.org"): that is the
  // sender's reputation (blocked), not the message's content, though the list's name says "spam".
  ['blocked', /spamhaus|spamcop|sorbs\.net|barracudacentral|dnsbl|\brbl\b|blocked using|listed (at|on|in) [a-z0-9.-]+\.(org|net|com)/],
  ['spamdetected', /\bspam\b|junk mail|content filter|blacklisted content|bulk mail|unsolicited|roskapost|skr[äa]ppost/],
  // The sender's own address or domain refused ("Domain of sender address … does not exist"), or
  // any refusal of the MAIL FROM command: about us, not the recipient.
  ['rejected', /domain of sender|sender (address|domain)[^.;]{0,40}(rejected|does not exist|not exist|unknown|invalid|not found)|sender[^.;]{0,40}(invalid|unknown)|sender verif(y|ication) fail|unverified sender|after mail from|in reply to mail from/],
  ['securityerror', /smtp authentication|without authentication/],
  ['authfailure', /\bdmarc\b|\bspf\b (check )?fail|dkim[^.;]{0,40}fail|authentication (failed|required)|not authenticated|policy[^.;]{0,40}authentication|sender (is )?not authorized|unauthenticated/],
  ['requireptr', /\bptr\b|reverse dns|rdns|no dns record for your ip|cannot find your hostname|does not have a valid[^.;]{0,40}dns/],
  ['mailboxfull', /mailbox (is )?full|over ?quota|quota (exceeded|full)|exceeded (storage|the quota)|insufficient (system )?storage|mailbox[^.;]{0,40}exceed|disk quota|account is full|user is over|mailfolder is full|postilaatikko(si)? (on )?t[äa]ynn[äa]|tallennustila (on )?t[äa]ynn[äa]|kiinti[öo] (on )?(ylittynyt|t[äa]ynn[äa])|(brevl[åa]dan|postl[åa]dan|inkorgen) [äa]r full|kvoten [äa]r [öo]verskriden|postfach (ist )?voll/],
  ['systemfull', /insufficient system (resources|storage)|system (disk|storage) (is )?full|mail system full|out of disk|too many messages in queue/],
  ['expired', /retry (time(out)?|period) exceeded|message expired|expired in queue|could not be delivered for|delivery time expired|too long in queue|queue time ?out|time limit exceeded|timeout exceeded|been delayed|gave up|giving up|retry timeout|message timed out|retry limit|will be retried|warning message only/],
  ['toomanyconn', /too many (connections|concurrent|sessions)|connection limit|rate limit|too many recipients this session/],
  ['suspend', /(account|mailbox|address) (has been |is )?(disabled|suspended|inactive|deactivated|not active|blocked|locked)|disabled|suspended|inactive|dormant|tili on (suljettu|poistettu k[äa]yt[öo]st[äa]|j[äa][äa]dytetty)|kontot [äa]r (avst[äa]ngt|sp[äa]rrat|inaktiverat)/],
  ['hasmoved', /has moved|user not local;? please try|address has changed|forwarding[^.;]{0,40}no longer/],
  ['hostunknown', /host (or domain name )?not found|unknown (host|domain)|domain (not found|does not exist|is not valid)|no such domain|name or service not known|host not found|name server|nxdomain|no mx|mx record|unrouteable mail domain|hostname lookup|dns lookup|unroutable domain|illegal host\/domain|domain (does not|doesn't) exist|no route to host|all relevant mx records point to non-existent hosts|host unknown|domain may not exist|verkkotunnusta ei (ole|l[öo]ydy)|dom[äa]nen finns inte/],
  [
    'userunknown',
    /user unknown|unknown user|no such (user|mailbox|recipient|address|person)|user (not found|doesn'?t exist|does not exist)|(mailbox|recipient|address|account|user) (is )?(unavailable|not found|unknown|does not exist|doesn't exist|invalid)|invalid (mailbox|recipient|address|user)|address rejected|not a valid (mailbox|recipient|user)|unrouteable address|no mailbox here|not our customer|recipient not|unknown (local[- ]part|recipient|address|mailbox)|doesn't have an? [^;]{0,80} account|does not have an account|nosuchuser|no longer (available|valid)|not listed in|couldn't be found|unable to find|email account that you tried to reach does not exist|resolver\.adr\.recipnotfound|recipientnotfound|there is no one at this address|bad destination mailbox|addressee unknown|user \S+ not known|not known here|destination address (is )?(invalid|unknown)|uknown|does not exist|no valid recipients|k[äa]ytt[äa]j[äa][äa] ei (ole|l[öo]ydy)|tuntematon (k[äa]ytt[äa]j[äa]|vastaanottaja|osoite)|(vastaanottajaa|osoitetta|postilaatikkoa) ei (ole|l[öo]ydy|l[öo]ytynyt)|ok[äa]nd (mottagare|anv[äa]ndare|adress)|(anv[äa]ndaren|mottagaren|adressen|brevl[åa]dan) finns inte|ingen s[åa]dan (anv[äa]ndare|mottagare|brevl[åa]da)|(empf[äa]nger|benutzer) unbekannt|unbekannte?r? (empf[äa]nger|benutzer)/,
  ],
  ['norelaying', /relay(ing)? (access )?(denied|not permitted|not allowed|prohibited)|not permitted to relay|unable to relay|we do not relay|open relay|no relaying/],
  ['notaccept', /does not accept mail|not accepting (any )?mail|null mx|mail not accepted|no mail accepted|accepts no mail/],
  ['securityerror', /tls required|encryption required|security polic|starttls|certificate|not secure|insecure|authentication mechanism/],
  ['syntaxerror', /syntax error|bad sequence of commands|command (not )?(recognized|unrecognized)|line too long|invalid command/],
  ['networkerror', /connection (refused|timed out|reset|lost|dropped)|network (is )?unreachable|could not connect|lost connection|too many hops|loop(s)? (back|detected)|mail loop|routing loop|hop count/],
  ['mailererror', /mailer error|pipe to \||command (died|failed|output)|exit status|process exited|x-unix;|local delivery failed/],
  ['policyviolation', /policy (violation|reasons|rejection)|violat|prohibited|not allowed by policy|acceptable use/],
  ['blocked', /block(ed| ?list)|black ?list|denylist|estolist|sp[äa]rrlist|svartlist|rbl|listed (at|on|in)|reputation|banned|access denied|refused|poor reputation|ip (address )?(is )?not allowed|client host rejected|unsolicited mail originating|sender address rejected|your ip/],
  // Google Groups: the group does not exist or the sender may not post to it.
  ['rejected', /permission to post|投稿する権限/],
  ['filtered', /filter|not accepted|refuses to accept|recipient rejected|no longer accepts/],
];

/**
 * Words that say only "refused", not why. They name a reason only when nothing else does (neither a
 * phrase above nor a specific status code): `rejected`, a sender-side refusal.
 */
const VAGUE_REFUSAL = /reject|denied|not allowed|refus|restricted|not authorized/;

/** Reasons are stated near the start; the cap bounds the cost of the phrase list on huge input. */
const MAX_REASON_TEXT = 16 * 1024;

/** The reason the text states, or null; vague words ("rejected") count only with `{ vague: true }`. */
export function detectReason(text: string, opts: { vague?: boolean } = {}): Reason | null {
  const { stated, vague } = scanReason(text);
  return stated ?? (opts.vague === true && vague ? 'rejected' : null);
}

/** One pass over the text: the reason it states, and whether it at least says "refused". */
function scanReason(text: string): { stated: Reason | null; vague: boolean } {
  // Multi-line SMTP replies repeat the code on every line ("550-… not permitted to\n550 relay");
  // drop the repeats so phrases that span lines still match.
  // Lower-cased once, so the phrases need no case-insensitive matching (much slower with ä, ö, å).
  const flat = text
    .slice(0, MAX_REASON_TEXT)
    .replace(/(^|\s)[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?/g, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  for (const [reason, re] of REASON_PHRASES) if (re.test(flat)) return { stated: reasonAfterData(reason, flat), vague: false };
  return { stated: null, vague: VAGUE_REFUSAL.test(flat) };
}

/**
 * "Unknown user" in answer to the end of DATA comes after the server accepted the recipient at
 * RCPT TO, so the address exists: such a refusal is the receiver's filter on the sender (NTT
 * DOCOMO's domain filter answers so), not a missing mailbox.
 */
function reasonAfterData(reason: Reason, flat: string): Reason {
  return reason === 'userunknown' && /in reply to end of data|after end of data/.test(flat) ? 'rejected' : reason;
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
  /** The provider's explicit verdict, which wins over the code. */
  readonly verdict?: Verdict | null;
  /** The provider's explicit cause (e.g. SES `MailboxFull`), which wins over the text. */
  readonly reason?: Reason | null;
}

export interface Classification {
  readonly class: BounceClass;
  /** The status to report: the given one, or one derived from the reply code or reason. */
  readonly status: string | null;
  readonly reason: Reason | null;
  /** Whose side the failure is on; null when nobody says (then `class` is `other`). */
  readonly cause: BounceCause | null;
}

/** Whose side each reason is on (Sisimai's reasons; compliance.md §3). */
const CAUSE_OF: Record<Reason, BounceCause> = {
  userunknown: 'recipient',
  hostunknown: 'recipient',
  hasmoved: 'recipient',
  suspend: 'recipient',
  notaccept: 'recipient',
  filtered: 'recipient',
  norelaying: 'recipient',
  mailererror: 'recipient',
  mailboxfull: 'temporary',
  systemfull: 'temporary',
  expired: 'temporary',
  toomanyconn: 'temporary',
  networkerror: 'temporary',
  mesgtoobig: 'sender',
  virusdetected: 'sender',
  spamdetected: 'sender',
  authfailure: 'sender',
  requireptr: 'sender',
  securityerror: 'sender',
  syntaxerror: 'sender',
  policyviolation: 'sender',
  blocked: 'sender',
  rejected: 'sender',
};

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

/** RFC 3463 subject.detail codes that name a reason (`x.2.2` mailbox full, `x.7.26` DMARC, …). */
const STATUS_REASON: Readonly<Record<string, Reason>> = {
  '1.1': 'userunknown',
  '1.2': 'hostunknown',
  '1.3': 'userunknown',
  '1.6': 'hasmoved',
  '1.7': 'rejected',
  '1.8': 'rejected',
  '1.10': 'notaccept',
  '2.1': 'suspend',
  '2.2': 'mailboxfull',
  '2.3': 'mesgtoobig',
  '3.1': 'systemfull',
  '3.2': 'notaccept',
  '3.4': 'mesgtoobig',
  '4.6': 'networkerror',
  '4.7': 'expired',
  '7.23': 'authfailure',
  '7.25': 'requireptr',
  '7.26': 'authfailure',
  '7.27': 'notaccept',
};

/** The reason a specific status code names by itself; null for a generic one (`5.0.0`). */
export function reasonOfStatus(status: string): Reason | null {
  const [digit, subject, detail] = status.split('.');
  if (subject === '0') return null;
  const named = STATUS_REASON[`${subject}.${detail}`];
  if (named !== undefined) return named;
  switch (subject) {
    case '1':
      return 'userunknown';
    case '2':
      return 'filtered';
    case '3':
      return digit === '4' ? 'systemfull' : 'mailererror';
    case '4':
      return digit === '4' ? 'networkerror' : 'hostunknown';
    case '5':
      return 'syntaxerror';
    case '6':
      return 'policyviolation';
    case '7':
      return 'securityerror';
    default:
      return null;
  }
}

export function classify(input: ClassifyInput): Classification {
  const action = input.action?.toLowerCase() ?? null;
  const status = input.status;
  if (action === 'delivered' || action === 'relayed' || action === 'expanded' || status?.startsWith('2.') === true) {
    return { class: 'other', status: status ?? '2.0.0', reason: null, cause: null };
  }
  const scanned = input.reason === undefined || input.reason === null ? scanReason(input.text) : { stated: input.reason, vague: false };
  const reason = scanned.stated ?? (status === null ? null : reasonOfStatus(status)) ?? (scanned.vague ? 'rejected' : null);
  // Permanence: the provider's verdict, else a delay warning (temporary by definition), else the digit.
  const replyDigit = input.replyCode?.[0] === '4' || input.replyCode?.[0] === '5' ? input.replyCode[0] : null;
  const digit = status?.[0] ?? replyDigit;
  const verdict = input.verdict ?? (action === 'delayed' ? 'transient' : digit === '4' ? 'transient' : digit === '5' ? 'permanent' : null);
  const derived = reason === null ? null : REASON_STATUS[reason];
  const reported =
    status ?? (verdict === 'transient' ? (derived?.startsWith('4.') === true ? derived : '4.0.0') : derived !== null && (digit === null || derived[0] === digit) ? derived : digit === null ? null : `${digit}.0.0`);
  if (reason === null) {
    // Failed, but nobody says why: hold for a human instead of suppressing; a delay warning is
    // temporary by definition (and changes nothing: the reporter keeps retrying).
    return { class: action === 'delayed' ? 'soft' : 'other', status: reported, reason: null, cause: null };
  }
  const cause = CAUSE_OF[reason];
  return { class: classOf(cause, verdict), status: reported, reason, cause };
}

/**
 * The class of a cause: the sender's faults never touch the recipient; a passing condition is soft
 * (the threshold of soft bounces suppresses one that does not pass); the recipient's address is
 * hard unless the failure is transient.
 */
function classOf(cause: BounceCause, verdict: Verdict | null): BounceClass {
  if (cause === 'sender') return 'other';
  if (cause === 'temporary') return 'soft';
  return verdict === 'transient' ? 'soft' : 'hard';
}

/** `X.0.0` says only success/temporary/permanent, nothing about the cause. */
export function isGeneric(status: string): boolean {
  return /^\d\.0\.0$/.test(status);
}
