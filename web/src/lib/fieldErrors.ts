// Which form field a server error code belongs to, so the message can be shown
// next to the input it is about (docs/api.md lists the codes).

export type FunctionField =
  | 'file'
  | 'name'
  | 'description'
  | 'runtime'
  | 'handler'
  | 'mode'
  | 'timeout'
  | 'memory'
  | 'env'
  | 'concurrency'
  | 'executor'
  | 'public';

const BY_CODE: Record<string, FunctionField> = {
  invalid_name: 'name',
  function_exists: 'name',
  invalid_description: 'description',
  invalid_runtime: 'runtime',
  invalid_handler: 'handler',
  entry_not_found: 'handler',
  invalid_timeout: 'timeout',
  invalid_memory: 'memory',
  invalid_env: 'env',
  invalid_mode: 'mode',
  invalid_executor: 'executor',
  invalid_concurrency: 'concurrency',
  invalid_prewarm: 'concurrency',
  invalid_code: 'file',
  payload_too_large: 'file',
};

/** null means "not about one field": show it as a form-level alert. */
export function fieldForErrorCode(code: string): FunctionField | null {
  if (code.startsWith('zip_')) return 'file';
  return BY_CODE[code] ?? null;
}
