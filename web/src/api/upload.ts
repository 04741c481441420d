// Multipart uploads go through XMLHttpRequest rather than fetch: fetch has no
// upload progress events in browsers, and a 50 MB zip deserves a progress bar.

import { ApiError, csrfToken, errorFromBody, noteUnauthenticated } from './client';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  method: 'POST' | 'PUT';
  path: string;
  form: FormData;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export function upload<T>({ method, path, form, onProgress, signal }: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);

    if (onProgress) {
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
      });
    }
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(new ApiError(xhr.status, 'bad_response', 'The server sent an unreadable answer.'));
        }
      } else {
        noteUnauthenticated(xhr.status, path);
        reject(errorFromBody(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
      }
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'network_error', 'The upload failed: cannot reach the server.')),
    );
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.')));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
