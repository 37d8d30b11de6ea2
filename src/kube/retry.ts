import { isRetryable, KubeApiError } from './errors';

export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Retries with exponential backoff and jitter on 429, 5xx and connection resets; honours Retry-After.
 * A 4xx caused by the request itself (403, 404, 409, 422, ...) is returned at once.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= policy.attempts || !isRetryable(e) || signal?.aborted) throw e;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const retryAfter = e instanceof KubeApiError && e.retryAfterSeconds ? Math.min(e.retryAfterSeconds * 1000, policy.maxDelayMs * 2) : 0;
      const delay = Math.max(retryAfter, backoff * (0.5 + Math.random() / 2));
      onRetry?.(e, attempt, delay);
      await sleep(delay, signal);
    }
  }
}

/** Runs fn over items with at most `limit` in flight; results in input order; first error wins after all settle. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: unknown;
  let failed = false;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (e) {
        if (!failed) {
          failed = true;
          firstError = e;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw firstError;
  return results;
}

const retried = new WeakSet<object>();
/** Marks an error that came back from a second or later attempt of the same request. */
export function markRetried<E>(e: E, attempt: number): E {
  if (attempt > 1 && e && typeof e === 'object') retried.add(e);
  return e;
}
/** Whether the request was sent more than once: an AlreadyExists (POST) or NotFound (DELETE) may then be our own first attempt's doing. */
export const wasRetried = (e: unknown) => Boolean(e && typeof e === 'object' && retried.has(e));
