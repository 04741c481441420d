import { ApiKeys } from '../components/account/ApiKeys';
import { ChangePassword } from '../components/account/ChangePassword';
import { DeleteAccount } from '../components/account/DeleteAccount';
import { formatDateTime } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { useSession } from '../session';

export function AccountPage() {
  useTitle('Account');
  const user = useSession();
  if (!user) return null;
  return (
    <>
      <h1>Account</h1>
      <section class="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl class="summary">
          <div>
            <dt>Email</dt>
            <dd>
              {user.email}{' '}
              {user.emailVerified ? <span class="badge">verified</span> : <span class="badge badge-warning">not verified</span>}
            </dd>
          </div>
          {user.name && (
            <div>
              <dt>Name</dt>
              <dd>{user.name}</dd>
            </div>
          )}
          <div>
            <dt>Member since</dt>
            <dd>{formatDateTime(user.createdAt)}</dd>
          </div>
        </dl>
      </section>
      <ApiKeys />
      <ChangePassword />
      <DeleteAccount />
    </>
  );
}
