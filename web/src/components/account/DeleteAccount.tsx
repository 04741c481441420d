import { useState } from 'preact/hooks';
import { deleteAccount } from '../../api/account';
import { ApiError } from '../../api/client';
import { navigate } from '../../router';
import { setUser } from '../../session';
import { toast } from '../../toast';
import { errorMessage } from '../Alert';
import { ConfirmDialog } from '../ConfirmDialog';
import { TextField } from '../Field';

export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const close = () => {
    setOpen(false);
    setPassword('');
    setError(undefined);
  };

  const onConfirm = async () => {
    if (!password) {
      setError('Enter your password to confirm.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await deleteAccount(password);
      setOpen(false);
      setUser(null);
      navigate('/signin', { replace: true });
      toast('Your account and everything in it were deleted.');
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'wrong_password' ? 'That password is wrong.' : errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <section class="card card-danger" aria-labelledby="delete-account-title">
      <h2 id="delete-account-title">Delete account</h2>
      <p>Deletes your functions, their code and history, your API keys and your sessions. This cannot be undone.</p>
      <button type="button" class="button button-danger" onClick={() => setOpen(true)}>
        Delete account
      </button>
      <ConfirmDialog
        open={open}
        title="Delete your account?"
        confirmLabel="Yes, delete my account"
        danger
        busy={busy}
        onConfirm={onConfirm}
        onClose={close}
      >
        <p>Everything goes: functions, code, invocation history and API keys.</p>
        <TextField
          label="Confirm with your password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          error={error}
        />
      </ConfirmDialog>
    </section>
  );
}
