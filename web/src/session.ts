// Who is signed in. `undefined` while the first /auth/me is in flight, so pages
// do not flash the sign-in form at someone who is already signed in.

import { fetchMe, fetchProviders } from './api/account';
import { csrfToken, setSessionLostHandler } from './api/client';
import type { ProvidersAnswer, User } from './api/types';
import { createStore, useStore } from './lib/store';

export const sessionStore = createStore<User | null | undefined>(undefined);

export const useSession = () => useStore(sessionStore);

// Pages decide what to ask for from the user and the server's rules together (an
// unverified account is refused most routes only where verification is required), so
// the user is published only once the rules are known.
let providersLoaded: Promise<void> = Promise.resolve();

export async function loadSession(): Promise<void> {
  // The readable CSRF cookie is set and cleared together with the session: without
  // it there is no session to ask about, and skipping the request spares a 401.
  if (!csrfToken()) {
    sessionStore.set(null);
    return;
  }
  try {
    const user = await fetchMe();
    await providersLoaded;
    sessionStore.set(user);
  } catch {
    // 401 is the usual answer; an unreachable server is treated the same, and
    // the sign-in form reports the failure when the user tries.
    sessionStore.set(null);
  }
}

export function setUser(user: User | null): void {
  sessionStore.set(user);
}

// An expired session sends the user to sign in (the shell adds ?next=here).
setSessionLostHandler(() => {
  if (sessionStore.get()) sessionStore.set(null);
});

/**
 * Sign-in providers and whether the server insists on verified email. Until the
 * answer arrives (or if it fails) there are no provider buttons, which is the
 * safe default: a button must only appear when the provider is configured.
 */
export const providersStore = createStore<ProvidersAnswer>({
  providers: [],
  requireVerifiedEmail: false,
});

export function loadProviders(): Promise<void> {
  providersLoaded = fetchProviders().then(
    (answer) => providersStore.set(answer),
    () => {
      // Keep the default: email and password only.
    },
  );
  return providersLoaded;
}
