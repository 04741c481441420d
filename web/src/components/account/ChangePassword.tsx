import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { changePassword } from '../../api/account';
import { ApiError } from '../../api/client';
import { toast } from '../../toast';
import { Alert, errorMessage } from '../Alert';
import { TextField } from '../Field';
import { SubmitButton } from '../SubmitButton';

const MIN_PASSWORD = 10;

export function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ current?: string; next?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onSubmit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    if (next.length < MIN_PASSWORD) {
      setErrors({ next: `Use at least ${MIN_PASSWORD} characters.` });
      return;
    }
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      // The server ended every other session and gave this one a fresh cookie.
      toast('Password changed. Other devices are signed out.', 'success');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'wrong_password') setErrors({ current: error.message });
      else if (error instanceof ApiError && error.code === 'weak_password') setErrors({ next: error.message });
      else setFormError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form onSubmit={onSubmit} class="stack narrow">
        {formError && <Alert>{formError}</Alert>}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
          error={errors.current}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters. Other devices will be signed out.`}
          value={next}
          onValue={setNext}
          error={errors.next}
        />
        <div>
          <SubmitButton busy={busy}>Change password</SubmitButton>
        </div>
      </form>
    </section>
  );
}
