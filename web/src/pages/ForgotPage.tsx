import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { forgotPassword } from '../api/account';
import { Alert, errorMessage } from '../components/Alert';
import { TextField } from '../components/Field';
import { SubmitButton } from '../components/SubmitButton';
import { useTitle } from '../lib/hooks';
import { AuthCard } from './AuthCard';

/**
 * Only asks for the mail. The link in it opens the server's own /reset page,
 * which sets the new password; the SPA never sees the token.
 */
export function ForgotPage() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  useTitle(sent ? 'Check your email' : 'Reset your password');

  const onSubmit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await forgotPassword(email.trim());
      setSent(true);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <AuthCard title="Check your email">
        <p role="status">
          If <strong>{email.trim()}</strong> has an account, a link to choose a new password is on its
          way. It works for one hour.
        </p>
        <p>
          <a href="/signin">Back to sign in</a>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Reset your password">
      <p class="text-muted">Enter the email you signed up with and we'll mail you a link to choose a new password.</p>
      <form onSubmit={onSubmit} class="stack">
        {error && <Alert>{error}</Alert>}
        <TextField label="Email" type="email" autoComplete="email" required value={email} onValue={setEmail} />
        <SubmitButton busy={busy} class="button-block">
          Send reset link
        </SubmitButton>
      </form>
      <p class="auth-links">
        <a href="/signin">Back to sign in</a>
      </p>
    </AuthCard>
  );
}
