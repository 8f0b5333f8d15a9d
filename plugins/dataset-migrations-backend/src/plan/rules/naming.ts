import { InputError } from '@backstage/errors';

/** `customerAccounts` -> `customer_accounts`, `HTTPStatusCode` -> `http_status_code`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLocaleLowerCase('en-US');
}

const PLACEHOLDER = /\{(table|schema)(?::(snake))?\}/g;

/** Renders a table-name template: `{table}`, `{table:snake}`, `{schema}`, `{schema:snake}`. */
export function renderTableTemplate(
  template: string,
  values: { table: string; schema?: string },
  ruleName: string,
): string {
  const rendered = template.replace(
    PLACEHOLDER,
    (_m, key: 'table' | 'schema', snake) => {
      const value = values[key] ?? '';
      return snake ? toSnakeCase(value) : value;
    },
  );
  if (/[{}]/.test(rendered) || rendered.length === 0) {
    throw new InputError(
      `Rule "${ruleName}" has a table template "${template}" that does not render to a name; use {table}, {table:snake} or {schema}`,
    );
  }
  return rendered;
}
