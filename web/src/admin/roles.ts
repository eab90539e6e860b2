/** The roles a user or key can be given, in the order the forms offer them (src/core/access.ts). */
import { ROLES, type Role } from '../../../src/core/access.ts';

export type RoleChoice = Role;
export const ROLE_CHOICES: readonly Role[] = ROLES;
