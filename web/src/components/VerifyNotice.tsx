import { useEffect, useState } from 'preact/hooks';
import { resendVerification } from '../api/account';
import { ApiError } from '../api/client';
import type { User } from '../api/types';
import { loadSession } from '../session';
import { errorMessage } from './Alert';

/** Shown on every page while the signed-in account's email is unverified. */
export function VerifyNotice({ user, required }: { user: User; required: boolean }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);

  // The mailed link is usually opened in another tab; notice when it was.
  useEffect(() => {
    const recheck = () => {
      if (document.visibilityState === 'visible') void loadSession();
    };
    document.addEventListener('visibilitychange', recheck);
    return () => document.removeEventListener('visibilitychange', recheck);
  }, []);

  const resend = async () => {
    setBusy(true);
    setNote(null);
    try {
      const answer = await resendVerification();
      if (answer?.status === 'already_verified') {
        await loadSession();
        return;
      }
      setNote({ text: `We sent a new link to ${user.email}. Older links no longer work.`, error: false });
    } catch (error) {
      // 429 carries a message saying when another mail may go out.
      const text =
        error instanceof ApiError && error.status === 429
          ? error.message || 'Too many mails were sent to this address. Try again later.'
          : errorMessage(error);
      setNote({ text, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="verify-notice" aria-labelledby="verify-notice-title">
      <div class="container verify-inner">
        <div>
          <h2 id="verify-notice-title" class="verify-title">
            Verify your email address
          </h2>
          <p>
            We sent a link to <strong>{user.email}</strong>.{' '}
            {required
              ? 'Follow it to create and run functions.'
              : 'Follow it so that password resets and account notices reach you.'}
          </p>
          <p role="status" class={note?.error ? 'text-error' : 'text-muted'}>
            {note?.text}
          </p>
        </div>
        <button type="button" class="button" onClick={resend} disabled={busy}>
          {busy ? 'Sending…' : 'Resend'}
        </button>
      </div>
    </section>
  );
}
