import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { signUp } from '../api/account';
import { ApiError } from '../api/client';
import { Alert, errorMessage } from '../components/Alert';
import { TextField } from '../components/Field';
import { SubmitButton } from '../components/SubmitButton';
import { useTitle } from '../lib/hooks';
import { useStore } from '../lib/store';
import { providersStore, setUser } from '../session';
import { AuthCard, ProviderButtons } from './AuthCard';

const MIN_PASSWORD = 10;

type FieldErrors = Partial<Record<'email' | 'password' | 'name', string>>;

function fieldErrorsFor(error: ApiError): FieldErrors | null {
  switch (error.code) {
    case 'invalid_email':
    case 'email_taken':
      return { email: error.message };
    case 'weak_password':
      return { password: error.message };
    case 'invalid_name':
      return { name: error.message };
    default:
      return null;
  }
}

export function SignUpPage() {
  const { providers } = useStore(providersStore);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  useTitle(sentTo ? 'Check your email' : 'Create an account');

  const onSubmit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    if (password.length < MIN_PASSWORD) {
      setErrors({ password: `Use at least ${MIN_PASSWORD} characters.` });
      return;
    }
    setBusy(true);
    try {
      const answer = await signUp(email.trim(), password, name.trim());
      if (answer.kind === 'signedIn') {
        setUser(answer.user);
        return;
      }
      setSentTo(email.trim());
    } catch (caught) {
      const mapped = caught instanceof ApiError ? fieldErrorsFor(caught) : null;
      if (mapped) setErrors(mapped);
      else setFormError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <AuthCard title="Check your email">
        <p role="status">
          We sent a link to <strong>{sentTo}</strong>. Open it to verify your address, then sign in.
        </p>
        <p class="text-muted">
          Nothing after a few minutes? Look in the spam folder, or sign in and ask for a new link.
        </p>
        <p>
          <a class="button button-primary button-block" href="/signin">
            Go to sign in
          </a>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Create an account">
      <ProviderButtons providers={providers} verb="Sign up" />
      <form onSubmit={onSubmit} class="stack">
        {formError && <Alert>{formError}</Alert>}
        <TextField label="Name" labelNote="(optional)" autoComplete="name" value={name} onValue={setName} error={errors.name} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onValue={setEmail}
          error={errors.email}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters.`}
          value={password}
          onValue={setPassword}
          error={errors.password}
        />
        <SubmitButton busy={busy} class="button-block">
          Create account
        </SubmitButton>
      </form>
      <p class="auth-links">
        <span>
          Already have an account? <a href="/signin">Sign in</a>
        </span>
      </p>
    </AuthCard>
  );
}
