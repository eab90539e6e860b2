/**
 * Bounce (VERP-style) return paths: each message's envelope sender is unique to its delivery,
 * `b-<id>-<tag>@<bounce domain>`, so a bounce names the delivery it is about without any address in
 * clear, and a forged bounce for another delivery is refused. Case-insensitive and short, because
 * relays may fold the case of a local part and limit it to 64 characters.
 */
import type { TokenSigner } from '../../security/signed-tokens.ts';

export function bounceAddress(signer: TokenSigner, deliveryId: number, bounceDomain: string): string {
  return `b-${signer.signId('bounce', deliveryId)}@${bounceDomain}`;
}

/** The delivery id a bounce was addressed to, or null when the address is not one of ours or was altered. */
export function deliveryFromBounceAddress(signer: TokenSigner, address: string): number | null {
  const match = /^b-([^@]+)@/i.exec(address.trim());
  return match?.[1] === undefined ? null : signer.verifyId('bounce', match[1]);
}
