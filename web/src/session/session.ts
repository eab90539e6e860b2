/** The signed-in person, read from `GET /v1/session` (null when nobody is signed in). */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, rememberCsrfToken, unwrap } from '../api/client.ts';

async function fetchSession() {
  try {
    const session = await unwrap(api.GET('/v1/session'));
    rememberCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      rememberCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export const SESSION_KEY = ['session'] as const;

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

/**
 * Signs out on the server, then loads the sign-in page afresh: nothing read while signed in (customer
 * data in the query cache) stays in this tab's memory.
 */
export function useSignOut() {
  return async (): Promise<void> => {
    try {
      await unwrap(api.DELETE('/v1/session'));
    } finally {
      rememberCsrfToken(null);
      window.location.replace('/sign-in');
    }
  };
}

