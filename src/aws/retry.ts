// How brsec's AWS clients retry: adaptive (the client paces itself, since throttling is shared by the whole
// account and region) with up to 10 attempts, unless AWS_RETRY_MODE or AWS_MAX_ATTEMPTS, the SDK's own settings,
// say otherwise.
export function retrySettings(env: NodeJS.ProcessEnv = process.env): { retryMode: string; maxAttempts: number } {
  const mode = env.AWS_RETRY_MODE?.toLowerCase();
  return { retryMode: mode === 'standard' || mode === 'legacy' ? mode : 'adaptive', maxAttempts: Number(env.AWS_MAX_ATTEMPTS) || 10 };
}
