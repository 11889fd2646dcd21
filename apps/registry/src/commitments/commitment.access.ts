import { Principal } from '@credit/auth';

/** Whoever keeps the whole register: the credit office's counter and admins; others their own records. */
export const mayActOnAnyCommitment = (principal: Principal) =>
  principal.roles.includes('admin') || principal.roles.includes('credit_office');
