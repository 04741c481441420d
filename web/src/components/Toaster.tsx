import { useStore } from '../lib/store';
import { dismissToast, toastStore } from '../toast';

/**
 * One live region for the whole app, present from the first render: screen
 * readers only announce changes to regions that already existed.
 */
export function Toaster() {
  const toasts = useStore(toastStore);
  return (
    <div class="toaster" aria-live="polite" aria-atomic="false" role="status">
      {toasts.map((item) => (
        <div key={item.id} class={`toast toast-${item.kind}`}>
          <span>{item.message}</span>
          <button
            type="button"
            class="toast-close"
            aria-label="Dismiss message"
            onClick={() => dismissToast(item.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
