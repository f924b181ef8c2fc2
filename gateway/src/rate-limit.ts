import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '@kartoteka/kit';
import type { Caller } from './authentication';
import type { RateLimitSettings } from './config';

export type { RateLimitSettings };

/** Requests per minute per caller class; 0 turns the limit off for that class. */

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Where the counters live. One gateway process: in memory. Several replicas behind a load balancer share one
 * store, e.g. `limiterStore((options) => new RateLimiterRedis({ storeClient: redis, ...options }))`.
 */
export type RateLimitStore = { consume: (key: string, perMinute: number) => Promise<RateLimitDecision> };

type LimiterOptions = { keyPrefix: string; points: number; duration: number };

/** A store over rate-limiter-flexible limiters, one per distinct limit (API keys may each have their own). */
export function limiterStore(createLimiter: (options: LimiterOptions) => RateLimiterAbstract): RateLimitStore {
  const limiters = new Map<number, RateLimiterAbstract>();
  return {
    consume: async (key, perMinute) => {
      let limiter = limiters.get(perMinute);
      if (!limiter) {
        limiter = createLimiter({ keyPrefix: `kartoteka:gateway:rl:${perMinute}`, points: perMinute, duration: 60 });
        limiters.set(perMinute, limiter);
      }
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        throw rejection;
      }
    },
  };
}

export function memoryRateLimitStore(): RateLimitStore {
  return limiterStore((options) => new RateLimiterMemory(options));
}

/** The counter a caller draws from and its limit: per user, per API key (its own limit if set), per address for anonymous callers. */
export function rateLimitKey(caller: Caller, clientAddress: string, settings: RateLimitSettings): { key: string; perMinute: number } {
  if (caller.kind === 'user') return { key: `user:${caller.id}`, perMinute: settings.userPerMinute };
  if (caller.kind === 'apiKey') return { key: `apiKey:${caller.id}`, perMinute: caller.rateLimitPerMinute ?? settings.apiKeyPerMinute };
  return { key: `address:${clientAddress}`, perMinute: settings.anonymousPerMinute };
}

export type RateLimiter = (caller: Caller, clientAddress: string, requestId: string) => Promise<RateLimitDecision>;

/**
 * Counts one request of a caller. A failing store lets requests through (logged): the limit protects the
 * services, it must not take the gateway down.
 */
export function createRateLimiter(options: { settings: RateLimitSettings; store: RateLimitStore; logger: Logger }): RateLimiter {
  return async (caller, clientAddress, requestId) => {
    const { key, perMinute } = rateLimitKey(caller, clientAddress, options.settings);
    if (perMinute <= 0) return { allowed: true };
    try {
      const decision = await options.store.consume(key, perMinute);
      if (!decision.allowed) options.logger.info({ requestId, key, perMinute, retryAfterSeconds: decision.retryAfterSeconds }, 'rate limited');
      return decision;
    } catch (error) {
      options.logger.warn({ err: error, requestId }, 'rate limit store failed; request let through');
      return { allowed: true };
    }
  };
}

/** The body of a 429 answer (with `Retry-After: <seconds>`), GraphQL-shaped like every gateway error. */
export function rateLimitedBody(retryAfterSeconds: number): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message: `Too many requests; try again in ${retryAfterSeconds} s`, extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds } }] };
}

/**
 * Express middleware after authentication (`res.locals.identity`): answers HTTP 429 with `Retry-After` and
 * the typed code RATE_LIMITED once the caller has used up its requests of the minute.
 */
export function rateLimit(limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter(res.locals.identity as Caller, req.ip ?? 'unknown', res.locals.requestId as string);
    if (decision.allowed) {
      next();
      return;
    }
    res.setHeader('Retry-After', String(decision.retryAfterSeconds));
    res.status(429).json(rateLimitedBody(decision.retryAfterSeconds));
  };
}
