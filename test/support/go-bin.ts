import os from 'node:os';
import path from 'node:path';

/**
 * Where test/e2e/kube/build.sh puts the Go builds (the same rule as the script: $KARMADACTL_E2E_BIN,
 * else $KARMADACTL_E2E_CACHE/bin, else $XDG_CACHE_HOME or ~/.cache, then karmadactl-e2e/bin).
 * `npm test` runs build.sh before vitest, so under it these binaries are always there.
 */
export function goBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KARMADACTL_E2E_BIN) return env.KARMADACTL_E2E_BIN;
  const cache = env.KARMADACTL_E2E_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'karmadactl-e2e');
  return path.join(cache, 'bin');
}

export const goBin = (name: string) => path.join(goBinDir(), name);
