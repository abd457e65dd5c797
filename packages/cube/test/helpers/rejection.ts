/** What a promise rejected with, for asserting on error fields (`code`, and the URI or array it names). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; uri?: string; array?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject');
}
