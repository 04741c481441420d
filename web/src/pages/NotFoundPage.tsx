import { useTitle } from '../lib/hooks';

export function NotFoundPage() {
  useTitle('Page not found');
  return (
    <section class="empty-state">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <a class="button button-primary" href="/">
          Go to the dashboard
        </a>
      </p>
    </section>
  );
}
