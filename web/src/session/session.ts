/**
 * The signed-in person, read from `GET /v1/session` (null when nobody is signed in). The server
 * answers 200 `{signedIn: false}` then, so the sign-in page makes no failing request.
 */
import { useQuery } from '@tanstack/react-query';
import { api, rememberCsrfToken, unwrap } from '../api/client.ts';

async function fetchSession() {
  const state = await unwrap(api.GET('/v1/session'));
  if (!state.signedIn) {
    rememberCsrfToken(null);
    return null;
  }
  rememberCsrfToken(state.csrfToken);
  return state;
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

