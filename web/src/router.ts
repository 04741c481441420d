// Client-side routing on the History API. The server answers index.html for
// exactly these paths (see routeFor), so every route here must stay in step with
// the server's list: a route the server does not know would 404 on reload.

import { createStore, useStore } from './lib/store';

export type Route =
  | { name: 'root' }
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'forgot' }
  | { name: 'account' }
  | { name: 'functions' }
  | { name: 'newFunction' }
  | { name: 'function'; fn: string }
  | { name: 'editFunction'; fn: string }
  | { name: 'notFound' };

export interface Location {
  path: string;
  search: URLSearchParams;
}

function readLocation(): Location {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

const locationStore = createStore<Location>(readLocation());

export function useLocation(): Location {
  return useStore(locationStore);
}

export function routeFor(path: string): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  switch (trimmed) {
    case '/':
      return { name: 'root' };
    case '/signin':
      return { name: 'signin' };
    case '/signup':
      return { name: 'signup' };
    case '/forgot':
      return { name: 'forgot' };
    case '/account':
      return { name: 'account' };
    case '/functions':
      return { name: 'functions' };
    case '/functions/new':
      return { name: 'newFunction' };
  }
  const parts = trimmed.split('/').slice(1);
  if (parts[0] === 'functions' && parts[1]) {
    let fn: string;
    try {
      fn = decodeURIComponent(parts[1]);
    } catch {
      return { name: 'notFound' };
    }
    if (parts.length === 2) return { name: 'function', fn };
    if (parts.length === 3 && parts[2] === 'edit') return { name: 'editFunction', fn };
  }
  return { name: 'notFound' };
}

/** A function named "new" would collide with /functions/new; its id reaches it too. */
export function functionPath(fn: { name: string; id: string }, suffix = ''): string {
  const key = fn.name === 'new' ? fn.id : fn.name;
  return `/functions/${encodeURIComponent(key)}${suffix}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (to !== current) {
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
  }
  if (!options.replace) window.scrollTo(0, 0);
  locationStore.set(readLocation());
}

function isAppPath(path: string): boolean {
  return routeFor(path).name !== 'notFound' || !/^\/(api|verify|reset|assets)(\/|$)/.test(path);
}

/**
 * Plain <a href> links inside the app navigate without a reload. Links the user
 * wants elsewhere (new tab, download, another origin, the server's own pages such
 * as /verify or the OAuth start URLs) are left to the browser.
 */
function onDocumentClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || !anchor.href || anchor.hasAttribute('download')) return;
  if (anchor.target && anchor.target !== '_self') return;
  const url = new URL(anchor.href);
  // In-page anchors such as the skip link keep their native behaviour.
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) {
    return;
  }
  if (url.origin !== window.location.origin || !isAppPath(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}

export function startRouter(): void {
  window.addEventListener('popstate', () => locationStore.set(readLocation()));
  document.addEventListener('click', onDocumentClick);
}
