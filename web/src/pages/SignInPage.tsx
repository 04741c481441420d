import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { signIn } from '../api/account';
import { ApiError } from '../api/client';
import { Alert, errorMessage } from '../components/Alert';
import { TextField } from '../components/Field';
import { SubmitButton } from '../components/SubmitButton';
import { useTitle } from '../lib/hooks';
import { useStore } from '../lib/store';
import { useLocation } from '../router';
import { providersStore, setUser } from '../session';
import { AuthCard, ProviderButtons } from './AuthCard';

export function SignInPage() {
  useTitle('Sign in');
  const { providers } = useStore(providersStore);
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await signIn(email.trim(), password);
      // The shell sees the session and sends us on to ?next or /functions.
      setUser(answer.user);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'invalid_credentials') {
        setError('The email or the password is wrong.');
      } else {
        setError(errorMessage(caught));
      }
      setBusy(false);
    }
  };

  const next = search.get('next');
  const signUpHref = next ? `/signup?next=${encodeURIComponent(next)}` : '/signup';
  return (
    <AuthCard title="Sign in">
      <ProviderButtons providers={providers} verb="Sign in" />
      <form onSubmit={onSubmit} class="stack">
        {error && <Alert>{error}</Alert>}
        <TextField label="Email" type="email" autoComplete="email" required value={email} onValue={setEmail} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <SubmitButton busy={busy} class="button-block">
          Sign in
        </SubmitButton>
      </form>
      <p class="auth-links">
        <a href="/forgot">Forgot your password?</a>
        <span>
          New here? <a href={signUpHref}>Create an account</a>
        </span>
      </p>
    </AuthCard>
  );
}
