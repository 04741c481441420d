import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { signOut } from '../api/account';
import type { User } from '../api/types';
import { navigate, useLocation } from '../router';
import { setUser } from '../session';
import { toast } from '../toast';
import { errorMessage } from './Alert';
import { Toaster } from './Toaster';
import { VerifyNotice } from './VerifyNotice';

interface LayoutProps {
  user: User | null | undefined;
  requireVerifiedEmail: boolean;
  children: ComponentChildren;
}

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const current = path === href || path.startsWith(`${href}/`);
  return (
    <a href={href} class="nav-link" aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

export function Layout({ user, requireVerifiedEmail, children }: LayoutProps) {
  const [signingOut, setSigningOut] = useState(false);

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
      setUser(null);
      navigate('/signin');
      toast('You are signed out.');
    } catch (error) {
      toast(errorMessage(error), 'error');
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="site-header">
        <div class="container header-inner">
          <a class="brand" href={user ? '/functions' : '/signin'}>
            <span class="brand-mark" aria-hidden="true" />
            Stratus
          </a>
          {user && (
            <>
              <nav aria-label="Main" class="main-nav">
                <NavLink href="/functions">Functions</NavLink>
                <NavLink href="/account">Account</NavLink>
              </nav>
              <div class="user-menu">
                <span class="user-email" title={user.email}>
                  {user.email}
                </span>
                <button type="button" class="button button-small" onClick={onSignOut} disabled={signingOut}>
                  Sign out
                </button>
              </div>
            </>
          )}
        </div>
      </header>
      {user && !user.emailVerified && <VerifyNotice user={user} required={requireVerifiedEmail} />}
      <main id="main" tabIndex={-1} class="container main">
        {children}
      </main>
      <Toaster />
    </>
  );
}
