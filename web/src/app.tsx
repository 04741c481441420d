// The shell: decides which page a path shows, and sends people who are not
// signed in to /signin (and signed-in people away from it).

import { useEffect, useRef } from 'preact/hooks';
import { Loading } from './components/Alert';
import { Layout } from './components/Layout';
import { useStore } from './lib/store';
import { AccountPage } from './pages/AccountPage';
import { ForgotPage } from './pages/ForgotPage';
import { FunctionFormPage } from './pages/FunctionFormPage';
import { FunctionPage } from './pages/FunctionPage';
import { FunctionsPage } from './pages/FunctionsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';
import { navigate, routeFor, useLocation, type Route } from './router';
import { providersStore, useSession } from './session';

const PUBLIC_ONLY = new Set<Route['name']>(['signin', 'signup', 'forgot']);
const PRIVATE = new Set<Route['name']>(['account', 'functions', 'newFunction', 'function', 'editFunction']);

/** Only same-app paths are accepted as ?next=, so the link cannot send users elsewhere. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/functions';
  const name = routeFor(next.split('?')[0] ?? '').name;
  return PRIVATE.has(name) ? next : '/functions';
}

function redirectFor(route: Route, signedIn: boolean, path: string, search: URLSearchParams): string | null {
  if (route.name === 'root') return signedIn ? '/functions' : '/signin';
  if (signedIn && PUBLIC_ONLY.has(route.name)) return safeNext(search.get('next'));
  if (!signedIn && PRIVATE.has(route.name)) {
    return `/signin?next=${encodeURIComponent(path + (search.toString() ? `?${search}` : ''))}`;
  }
  return null;
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'signin':
      return <SignInPage />;
    case 'signup':
      return <SignUpPage />;
    case 'forgot':
      return <ForgotPage />;
    case 'account':
      return <AccountPage />;
    case 'functions':
      return <FunctionsPage />;
    case 'newFunction':
      return <FunctionFormPage />;
    case 'editFunction':
      return <FunctionFormPage name={route.fn} key={`edit-${route.fn}`} />;
    case 'function':
      return <FunctionPage name={route.fn} key={route.fn} />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const user = useSession();
  const providers = useStore(providersStore);
  const { path, search } = useLocation();
  const route = routeFor(path);
  const redirect = user === undefined ? null : redirectFor(route, user !== null, path, search);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  // After an in-app navigation, move focus to the new page's heading so screen
  // reader and keyboard users start at the top of what changed.
  const firstPath = useRef(true);
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    // Pages that load data show their heading only once it arrives: wait for it.
    const main = document.getElementById('main');
    if (!main) return;
    const focusHeading = (): boolean => {
      const heading = main.querySelector<HTMLElement>('h1');
      if (!heading) return false;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    const giveUp = window.setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      observer.disconnect();
      window.clearTimeout(giveUp);
    };
  }, [path]);

  return (
    <Layout user={user} requireVerifiedEmail={providers.requireVerifiedEmail}>
      {user === undefined || redirect ? <Loading /> : <Page route={route} />}
    </Layout>
  );
}
