/**
 * Puts an error from the core next to the input it is about.
 *
 * The core names the field with a dotted path (`lines.2.qty`, `customer.email`, `sku`). Form fields in
 * this UI are named after the same DTO paths in camelCase, so the path maps directly; snake_case
 * segments (`unit_price`) are converted in case the core reports Rust names.
 */
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { AppError } from './ipc';

export function fieldPath(field: string): string {
  return field
    .split('.')
    .map((part) => part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
    .join('.');
}

/**
 * Sets the error on the matching field and returns true, or returns false when the error names no
 * field this form has (the caller then shows it as a message for the whole form).
 */
export function applyFieldError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  knownField: (path: string) => boolean,
  aliases: Record<string, string> = {},
): boolean {
  if (!(error instanceof AppError) || !error.field) return false;
  const path = fieldPath(error.field);
  const target = aliases[path] ?? path;
  if (!knownField(target)) return false;
  setError(target as Path<T>, { type: error.code, message: error.message }, { shouldFocus: true });
  return true;
}
