/**
 * Is a tracking hit a person, or a machine acting for the mailbox (compliance.md §3)? Privacy
 * relays and image proxies fetch every image (Apple Mail Privacy Protection presents exactly
 * `Mozilla/5.0`; Gmail's and Yahoo's proxies name themselves), link scanners follow every link,
 * and nobody reads a message within seconds of its delivery. Machine hits are counted apart.
 */

export type MachineReason = 'privacy_proxy' | 'image_proxy' | 'link_scanner' | 'too_fast' | 'no_user_agent';

export interface TrafficSettings {
  /** Hits sooner than this after sending are machines (default 10 s). */
  minSecondsAfterSend: number;
}

export const DEFAULT_TRAFFIC_SETTINGS: TrafficSettings = { minSecondsAfterSend: 10 };

const IMAGE_PROXIES = [/GoogleImageProxy/i, /YahooMailProxy/i, /ggpht\.com/i, /Outlook-iOS-ImageProxy/i];
const SCANNERS = [
  /bot\b|crawler|spider/i,
  /Barracuda|Mimecast|Proofpoint|Symantec|Trend ?Micro|FireEye|Forcepoint|SafeLinks|Cisco/i,
  /python-requests|curl\/|wget|Go-http-client|okhttp|Java\//i,
  /Microsoft Office Protection|MSOffice|Microsoft URL Control/i,
];

export function classifyHit(
  userAgent: string | undefined,
  secondsSinceSend: number,
  settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS,
): { machine: false } | { machine: true; reason: MachineReason } {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return { machine: true, reason: 'no_user_agent' };
  if (ua === 'Mozilla/5.0') return { machine: true, reason: 'privacy_proxy' };
  if (IMAGE_PROXIES.some((p) => p.test(ua))) return { machine: true, reason: 'image_proxy' };
  if (SCANNERS.some((p) => p.test(ua))) return { machine: true, reason: 'link_scanner' };
  if (secondsSinceSend < settings.minSecondsAfterSend) return { machine: true, reason: 'too_fast' };
  return { machine: false };
}
