import { readEventBusEnv, readSubgraphEnv, type EventBusConfig, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, email, num, str } from 'envalid';
import { DEFAULT_LOGIN_THROTTLE, type LoginThrottleSettings } from './modules/auth/login-throttle';
import { DEFAULT_REFRESH_TTL_SECONDS, DEFAULT_SESSION_MAX_SECONDS, MAX_ACCESS_TOKEN_TTL_SECONDS } from './modules/session/session.service';

export type IdentityConfig = SubgraphConfig & EventBusConfig & {
  /** HS256 secret shared with the gateway, which verifies staff tokens. */
  jwtSecret: string;
  /** Lifetime of an access token, at most 15 minutes: a revoked session's last access token dies within it. */
  jwtTtlSeconds: number;
  refreshTtlSeconds: number;
  sessionMaxSeconds: number;
  loginThrottle: LoginThrottleSettings;
  /** Seeding: demo users (demo mode), or the first admin from ADMIN_EMAIL / ADMIN_PASSWORD. */
  demo: boolean;
  bootstrapAdmin: { email: string; password: string; name: string } | null;
};

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const own = cleanEnv(env, {
    JWT_SECRET: str({ devDefault: 'dev-only-jwt-secret-change-me', desc: 'Secret for signing staff session tokens (shared with the gateway)' }),
    JWT_TTL_SECONDS: num({ default: 10 * 60, desc: `Access token lifetime in seconds, 30 to ${MAX_ACCESS_TOKEN_TTL_SECONDS}` }),
    REFRESH_TTL_SECONDS: num({ default: DEFAULT_REFRESH_TTL_SECONDS, desc: 'A session unused (not refreshed) this long ends' }),
    SESSION_MAX_SECONDS: num({ default: DEFAULT_SESSION_MAX_SECONDS, desc: 'A session ends this long after login, however used' }),
    LOGIN_FREE_ATTEMPTS: num({ default: DEFAULT_LOGIN_THROTTLE.freeAttempts, desc: 'Failed logins from one address before the back-off starts' }),
    LOGIN_BASE_DELAY_SECONDS: num({ default: DEFAULT_LOGIN_THROTTLE.baseDelaySeconds, desc: 'First back-off after the free attempts; it doubles with every further failure' }),
    LOGIN_MAX_DELAY_SECONDS: num({ default: DEFAULT_LOGIN_THROTTLE.maxDelaySeconds, desc: 'Longest back-off between login attempts from one address' }),
    LOGIN_FAILURE_WINDOW_SECONDS: num({ default: DEFAULT_LOGIN_THROTTLE.windowSeconds, desc: 'Failed logins older than this are forgotten' }),
    LOGIN_ACCOUNT_SLOWDOWN_AFTER: num({ default: DEFAULT_LOGIN_THROTTLE.accountSlowdownAfter, desc: 'Failures of one account from all addresses after which every address gets one free attempt' }),
    DEMO: bool({ default: false, desc: 'Seed demo users (admin@kartoteka.local / admin and one per role)' }),
    ADMIN_EMAIL: email({ default: undefined }),
    ADMIN_PASSWORD: str({ default: undefined }),
    ADMIN_NAME: str({ default: 'Administrator' }),
  }, { reporter: strictEnvReporter });
  const invalid = [
    own.JWT_TTL_SECONDS < 30 || own.JWT_TTL_SECONDS > MAX_ACCESS_TOKEN_TTL_SECONDS ? `JWT_TTL_SECONDS: must be 30 to ${MAX_ACCESS_TOKEN_TTL_SECONDS}` : null,
    own.REFRESH_TTL_SECONDS <= own.JWT_TTL_SECONDS ? 'REFRESH_TTL_SECONDS: must be longer than JWT_TTL_SECONDS' : null,
    own.SESSION_MAX_SECONDS < own.REFRESH_TTL_SECONDS ? 'SESSION_MAX_SECONDS: must be at least REFRESH_TTL_SECONDS' : null,
    own.LOGIN_FREE_ATTEMPTS < 1 ? 'LOGIN_FREE_ATTEMPTS: must be at least 1' : null,
    own.LOGIN_BASE_DELAY_SECONDS <= 0 || own.LOGIN_MAX_DELAY_SECONDS < own.LOGIN_BASE_DELAY_SECONDS ? 'LOGIN_BASE_DELAY_SECONDS: must be positive and at most LOGIN_MAX_DELAY_SECONDS' : null,
    own.LOGIN_ACCOUNT_SLOWDOWN_AFTER < own.LOGIN_FREE_ATTEMPTS ? 'LOGIN_ACCOUNT_SLOWDOWN_AFTER: must be at least LOGIN_FREE_ATTEMPTS' : null,
  ].filter((line): line is string => line !== null);
  if (invalid.length) throw new Error(`Invalid configuration:\n  ${invalid.join('\n  ')}`);
  const bootstrapAdmin = own.ADMIN_EMAIL && own.ADMIN_PASSWORD ? { email: own.ADMIN_EMAIL, password: own.ADMIN_PASSWORD, name: own.ADMIN_NAME } : null;
  return { ...readSubgraphEnv(env, 'identity', { port: 4101 }), ...readEventBusEnv(env), jwtSecret: own.JWT_SECRET,
    jwtTtlSeconds: own.JWT_TTL_SECONDS,
    refreshTtlSeconds: own.REFRESH_TTL_SECONDS,
    sessionMaxSeconds: own.SESSION_MAX_SECONDS,
    loginThrottle: { freeAttempts: own.LOGIN_FREE_ATTEMPTS, baseDelaySeconds: own.LOGIN_BASE_DELAY_SECONDS, maxDelaySeconds: own.LOGIN_MAX_DELAY_SECONDS, windowSeconds: own.LOGIN_FAILURE_WINDOW_SECONDS, accountSlowdownAfter: own.LOGIN_ACCOUNT_SLOWDOWN_AFTER },
    demo: own.DEMO,
    bootstrapAdmin,
  };
}
