/**
 * Login throttling, keyed on (e-mail, client address) so that failures from one place never lock the user
 * out from another. After `freeAttempts` failures from an address, each further attempt from it must wait
 * `baseDelaySeconds`·2^k after the previous failure (k = failures beyond the free ones), up to `maxDelaySeconds`. Once an
 * account collects `accountSlowdownAfter` failures from all addresses together (a distributed guess), every
 * address gets a single free attempt before its own back-off starts: that slows the attack down but never
 * refuses an address that has not failed. Failures older than `windowSeconds` are forgotten; a successful
 * login clears its address's failures.
 */
export type LoginThrottleSettings = {
  freeAttempts: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  windowSeconds: number;
  accountSlowdownAfter: number;
};

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = { freeAttempts: 5, baseDelaySeconds: 1, maxDelaySeconds: 15 * 60, windowSeconds: 3600, accountSlowdownAfter: 100 };

/** Seconds the next attempt from an address must wait after that address's last failure (0: it may try now). */
export function loginDelaySeconds(failuresFromAddress: number, failuresForAccount: number, settings: LoginThrottleSettings): number {
  const free = failuresForAccount >= settings.accountSlowdownAfter ? 1 : settings.freeAttempts;
  if (failuresFromAddress < free) return 0;
  return Math.min(settings.maxDelaySeconds, settings.baseDelaySeconds * 2 ** Math.min(failuresFromAddress - free, 40));
}
