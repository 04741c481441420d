// Account routes: /api/v1/auth/* and /api/v1/api-keys.

import { get, request, seg } from './client';
import type { ApiKey, ProvidersAnswer, User } from './types';

export async function fetchMe(): Promise<User> {
  return (await get<{ user: User }>('/api/v1/auth/me')).user;
}

export const fetchProviders = () => get<ProvidersAnswer>('/api/v1/auth/providers');

export interface SignInAnswer {
  user: User;
  verificationRequired?: boolean;
}

export const signIn = (email: string, password: string) =>
  request<SignInAnswer>('POST', '/api/v1/auth/signin', { email, password });

/**
 * 201 {user} when the server signs new accounts in at once; 202 {message} when
 * a verification mail must be followed first (for taken addresses too, so the
 * answer does not reveal who has an account).
 */
export type SignUpAnswer =
  | { kind: 'signedIn'; user: User }
  | { kind: 'checkMail'; message: string };

export async function signUp(email: string, password: string, name: string): Promise<SignUpAnswer> {
  const body = await request<{ user?: User; message?: string }>('POST', '/api/v1/auth/signup', {
    email,
    password,
    ...(name ? { name } : {}),
  });
  if (body?.user) return { kind: 'signedIn', user: body.user };
  return { kind: 'checkMail', message: body?.message ?? '' };
}

export const signOut = () => request<void>('POST', '/api/v1/auth/signout');

export const resendVerification = () =>
  request<{ status?: string; message?: string } | undefined>('POST', '/api/v1/auth/resend');

export const forgotPassword = (email: string) =>
  request<unknown>('POST', '/api/v1/auth/forgot', { email });

export const changePassword = (currentPassword: string, newPassword: string) =>
  request<unknown>('POST', '/api/v1/auth/password', { currentPassword, newPassword });

export const deleteAccount = (password: string) =>
  request<void>('DELETE', '/api/v1/auth/account', { password });

export async function listApiKeys(): Promise<ApiKey[]> {
  return (await get<{ apiKeys: ApiKey[] }>('/api/v1/api-keys')).apiKeys;
}

export const createApiKey = (name: string) =>
  request<{ apiKey: ApiKey; key: string }>('POST', '/api/v1/api-keys', { name });

export const revokeApiKey = (id: string) => request<void>('DELETE', `/api/v1/api-keys/${seg(id)}`);
