/**
 * A contact field (e-mail or phone) as the canonical address, or a VALIDATION_FAILED error that
 * names the field and says what was expected. Messages never repeat the value: error bodies and
 * import reports end up in logs.
 */
import { checkPhone, normaliseEmail, PHONE_REFUSALS } from './addresses.ts';
import { DomainError } from './errors.ts';

/** The canonical e-mail address (see `normaliseEmail`); throws VALIDATION_FAILED naming `field`. */
export function requireEmail(raw: unknown, field: string): string {
  const email = typeof raw === 'string' ? normaliseEmail(raw) : null;
  if (email === null) throw new DomainError('VALIDATION_FAILED', `${field} is not an e-mail address`, { field });
  return email;
}

/** The E.164 number (see `checkPhone`); throws VALIDATION_FAILED naming `field` and the reason. */
export function requirePhone(raw: unknown, field: string): string {
  const check = typeof raw === 'string' ? checkPhone(raw) : ({ ok: false, refusal: 'not_a_number' } as const);
  if (!check.ok) throw new DomainError('VALIDATION_FAILED', `${field} is not ${PHONE_REFUSALS[check.refusal]}`, { field });
  return check.e164;
}
