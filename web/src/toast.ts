// Short status messages ("Key revoked", "Copied") announced to screen readers
// through one polite live region (components/Toaster.tsx).

import { createStore } from './lib/store';

export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'success' | 'error';
}

export const toastStore = createStore<Toast[]>([]);

let nextId = 1;
const LIFETIME_MS = 6000;

export function dismissToast(id: number): void {
  toastStore.set(toastStore.get().filter((toast) => toast.id !== id));
}

export function toast(message: string, kind: Toast['kind'] = 'info'): void {
  const id = nextId++;
  // At most three at once: older ones have been read or were not worth reading.
  toastStore.set([...toastStore.get().slice(-2), { id, message, kind }]);
  window.setTimeout(() => dismissToast(id), LIFETIME_MS);
}
