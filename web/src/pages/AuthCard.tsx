// The frame shared by the signed-out pages: a narrow centred card.

import type { ComponentChildren } from 'preact';
import type { Provider } from '../api/types';

export function AuthCard({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="auth-card">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

const PROVIDER_NAMES: Record<string, string> = { github: 'GitHub', google: 'Google' };

/** The start URL with returnTo set, keeping any query the server already put there. */
function providerHref(provider: Provider, returnTo: string): string {
  const url = new URL(provider.startUrl, window.location.origin);
  url.searchParams.set('returnTo', returnTo);
  return url.origin === window.location.origin ? url.pathname + url.search : url.href;
}

export function ProviderButtons({ providers, verb }: { providers: Provider[]; verb: string }) {
  if (providers.length === 0) return null;
  return (
    <div class="providers">
      {providers.map((provider) => (
        <a
          key={provider.name}
          class={`button button-block provider provider-${provider.name}`}
          href={providerHref(provider, '/functions')}
        >
          {verb} with {PROVIDER_NAMES[provider.name] ?? provider.name}
        </a>
      ))}
      <p class="divider">
        <span>or with your email</span>
      </p>
    </div>
  );
}
