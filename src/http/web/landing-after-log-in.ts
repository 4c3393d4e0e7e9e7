/**
 * Where a new session starts, after a password or after a second factor. Suspended for an amount
 * owed: the page that settles it; suspended by an operator: the support desk, the one place open
 * to them; an admin: the admin overview; a customer: the page they asked for or the dashboard.
 */
export function landingAfterLogIn(
  outcome: { owesMoney: boolean; isSuspended: boolean; role: string },
  next: string | undefined,
): string {
  if (outcome.owesMoney) return '/funds';
  if (outcome.isSuspended) return '/support';
  return next ?? (outcome.role === 'admin' ? '/admin' : '/dashboard');
}
