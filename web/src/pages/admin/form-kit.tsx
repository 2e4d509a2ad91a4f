/**
 * What the administration forms share: labelled fields whose error (from the API's 400/409
 * `fields`, keyed by the field's path such as `siret` or `shifts.1.startsAt`) is shown right
 * next to them, tied by aria-describedby; and the submit state of a form.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useState } from 'preact/hooks';
import { ApiError } from '../../api.js';

/** The field errors of the last answer, by path; `prefix` narrows them to a nested part of the body. */
const Errors = createContext<{ errors: Record<string, string>; prefix: string; scope: string }>({ errors: {}, prefix: '', scope: '' });

export function errorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  return Object.fromEntries(err.fields.map((f) => [f.field, f.message]));
}

/**
 * Provides the errors to the fields inside; a nested provider adds a path prefix (`shifts.2.`).
 * `scope` keeps the ids of two forms of one page apart (a site's and a contact's `email`).
 */
export function FieldErrors({
  errors,
  prefix = '',
  scope,
  children,
}: {
  errors?: Record<string, string>;
  prefix?: string;
  scope?: string;
  children: ComponentChildren;
}) {
  const outer = useContext(Errors);
  return (
    <Errors.Provider value={{ errors: errors ?? outer.errors, prefix: outer.prefix + prefix, scope: scope ?? outer.scope }}>
      {children}
    </Errors.Provider>
  );
}

const idOf = (scope: string, path: string) => `f-${scope ? `${scope}-` : ''}${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

interface FieldProps {
  /** The API field this input fills (relative to the enclosing prefix). */
  name: string;
  label: string;
  type?: 'text' | 'email' | 'number' | 'date' | 'time' | 'datetime-local' | 'password' | 'tel';
  value?: string | number | null | undefined;
  onInput?: (value: string) => void;
  required?: boolean;
  step?: string;
  placeholder?: string;
  autocomplete?: string;
  /** A select's options (value, label). */
  options?: ReadonlyArray<readonly [string, string]>;
  multiline?: boolean;
}

/** A labelled input (or select, or textarea) with its error next to it. */
export function Field(props: FieldProps) {
  const { errors, prefix, scope } = useContext(Errors);
  const path = prefix + props.name;
  const id = idOf(scope, path);
  const error = errors[path];
  const common = {
    id,
    name: path,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    required: props.required,
    onInput: (e: Event) => props.onInput?.((e.target as HTMLInputElement).value),
  };
  const value = props.value === null || props.value === undefined ? '' : String(props.value);
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.options ? (
        <select {...common} value={value} onChange={common.onInput}>
          {props.options.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      ) : props.multiline ? (
        <textarea {...common} value={value} rows={3} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={value}
          step={props.step}
          placeholder={props.placeholder}
          autocomplete={props.autocomplete}
        />
      )}
      {error && (
        <span class="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** A checkbox with its label (and its error). */
export function Check({
  name,
  label,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  const { errors, prefix, scope } = useContext(Errors);
  const path = prefix + name;
  const id = idOf(scope, path);
  return (
    <div class="field check">
      <input id={id} type="checkbox" name={path} checked={checked} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
      <label for={id}>{label}</label>
      {errors[path] && (
        <span class="field-error" role="alert">
          {errors[path]}
        </span>
      )}
    </div>
  );
}

/** The answer's error at the top of the form (its message names every field; each is also shown next to its input). */
export function FormAlert({ error, t }: { error: unknown; t: (key: 'form.failed') => string }) {
  if (!error) return null;
  return (
    <div class="error" role="alert" data-testid="form-error">
      <strong>{t('form.failed')}</strong> {error instanceof ApiError ? error.message : String(error)}
    </div>
  );
}

/** The state of a form's submission: busy, the last error, its field errors, and a runner. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run<R>(fn: () => Promise<R>): Promise<R | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, errors: errorsOf(error), run, clear: () => setError(null) };
}

/** '' → undefined (left out of the body), else the trimmed text. */
export const blankless = (value: string | null | undefined) => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
};
/** '' → null (clears the stored value on a change). */
export const orNull = (value: string | null | undefined) => blankless(value) ?? null;
/** A number typed in a field ('' → undefined; not a number → the text, which the API names). */
export const numberOf = (value: string | number | null | undefined): number | undefined => {
  if (value === null || value === undefined || String(value).trim() === '') return undefined;
  const n = Number(String(value).replace(',', '.'));
  return Number.isFinite(n) ? n : (String(value) as unknown as number);
};
