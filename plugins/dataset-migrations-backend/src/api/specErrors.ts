import { InputError, isError } from '@backstage/errors';
import type { Request } from 'express';

/**
 * The spec's validator answers in JSON-schema terms ("request/body must have required
 * property 'entityRef'", "request/body must NOT have additional properties"): true, but
 * a person cannot always tell which field or what to send. This rewrites its refusals
 * in the plugin's words (the field, what is wrong, and the field's description from
 * the spec, which says what to send), keeping them 400s.
 */

type Spec = {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
};
type Schema = {
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
};
type Parameter = { name: string; in: string; description?: string };
type Operation = {
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** What each part of a request is called in a message. */
const PARTS: Record<string, string> = {
  body: 'request body',
  query: 'query',
  params: 'path',
  headers: 'headers',
};

/** An error of the spec's validator, as the OpenAPI router hands it on. */
function isSpecRefusal(error: unknown): error is InputError {
  return (
    isError(error) &&
    error.name === 'InputError' &&
    /^(request\/|Unknown query parameter |unsupported media type )/.test(
      error.message,
    )
  );
}

function resolve<T>(spec: Spec, node: T | { $ref: string }): T {
  const ref = (node as { $ref?: string })?.$ref;
  if (!ref) return node as T;
  return ref
    .slice(2)
    .split('/')
    .reduce<any>((at, key) => at?.[key], spec) as T;
}

/** The fields of the operation a request matched, with their descriptions. */
function fieldsOf(spec: Spec, req: Request) {
  const route = (req as { openapi?: { openApiRoute?: string } }).openapi
    ?.openApiRoute;
  const operation = route
    ? (spec.paths[route]?.[req.method.toLowerCase()] as Operation | undefined)
    : undefined;
  const params = (operation?.parameters ?? []).map(p =>
    resolve<Parameter>(spec, p),
  );
  const bodySchema = resolve<Schema>(
    spec,
    operation?.requestBody?.content?.['application/json']?.schema ?? {},
  );
  /** The body's schema at a path of the validator (`pacing`, `selector/owners/0`). */
  const bodyAt = (path: string[]): Schema | undefined =>
    path.reduce<Schema | undefined>((schema, key) => {
      const next = /^\d+$/.test(key)
        ? schema?.items
        : schema?.properties?.[key];
      return next && resolve<Schema>(spec, next);
    }, bodySchema);
  const where = (part: string) =>
    Object.fromEntries(
      params
        .filter(p => p.in === (part === 'params' ? 'path' : part))
        .map(p => [p.name, p.description]),
    );
  return {
    operation: route ? `${req.method} ${route}` : req.method,
    /** The fields of a part (of the body: of the object at `path`) with their descriptions. */
    fields: (
      part: string,
      path: string[] = [],
    ): Record<string, string | undefined> =>
      part === 'body'
        ? Object.fromEntries(
            Object.entries(bodyAt(path)?.properties ?? {}).map(
              ([name, schema]) => [
                name,
                resolve<Schema>(spec, schema).description,
              ],
            ),
          )
        : where(part),
    /** What to send for a field at `path`: its description, or its nearest described parent's. */
    hint: (part: string, path: string[]): string | undefined => {
      if (part !== 'body') return where(part)[path[0]];
      for (let depth = path.length; depth > 0; depth--) {
        const described = bodyAt(path.slice(0, depth))?.description;
        if (described) return described;
      }
      return undefined;
    },
  };
}

/**
 * The validator's phrases in the words of the plugin's other messages ("must be at most
 * 100", not "must be <= 100").
 */
const PLAIN_WORDS: Array<[RegExp, string]> = [
  [/^must be equal to one of the allowed values: /, 'must be one of '],
  [/^must be <= /, 'must be at most '],
  [/^must be >= /, 'must be at least '],
  [/^must be integer$/, 'must be a whole number'],
  [/^must NOT have fewer than 1 characters$/, 'must not be empty'],
  [
    /^must NOT have more than (\d+) characters$/,
    'must be at most $1 characters',
  ],
  [/^must NOT have fewer than (\d+) items$/, 'must have at least $1 entries'],
  [/^must NOT have more than (\d+) items$/, 'must have at most $1 entries'],
];

function inPlainWords(problem: string): string {
  const found = PLAIN_WORDS.find(([phrase]) => phrase.test(problem));
  return found ? problem.replace(found[0], found[1]) : problem;
}

/** One "request/<part>/<field> <problem>" of the validator, in the plugin's words. */
function explainProblem(
  problem: string,
  req: Request,
  known: ReturnType<typeof fieldsOf>,
): { part: string; text: string } {
  const unknownParameter = problem.match(/^Unknown query parameter '(.*)'$/);
  if (unknownParameter) {
    const allowed = Object.keys(known.fields('query'));
    return {
      part: 'query',
      text: `${unknownParameter[1]} is not a parameter of ${known.operation}${
        allowed.length ? `; use ${allowed.join(', ')}` : ''
      }`,
    };
  }
  const media = problem.match(/^unsupported media type (.*)$/);
  if (media) {
    return {
      part: 'body',
      text: `is sent as ${media[1]}; send a JSON object with Content-Type: application/json`,
    };
  }
  const [, part = 'body', path = '', rest = problem] =
    problem.match(/^request\/(\w+)(?:\/(\S*))? (.*)$/) ?? [];
  const segments = path ? path.split('/') : [];
  const field = segments.join('.');
  // A field inside the body is named with its parents (pacing.maxRunning).
  const named = (name: string) => (field ? `${field}.${name}` : name);
  const fields = known.fields(part, segments);
  const required = rest.match(/^must have required property '(.*)'$/);
  if (required) {
    const hint = fields[required[1]];
    return {
      part,
      text: `${named(required[1])} is required${hint ? `: ${hint}` : ''}`,
    };
  }
  if (rest === 'must NOT have additional properties') {
    const sent = segments.reduce<any>((at, key) => at?.[key], req.body);
    const extra = Object.keys(sent && typeof sent === 'object' ? sent : {})
      .filter(key => !(key in fields))
      .map(named);
    return {
      part,
      text: `${extra.join(', ') || 'a field'} is not accepted here; send only ${
        Object.keys(fields).map(named).join(', ') || 'an empty object'
      }`,
    };
  }
  if (!path && rest === 'must be object') {
    return { part, text: `must be a JSON object such as {"name": "value"}` };
  }
  const hint = field ? known.hint(part, segments) : undefined;
  return {
    part,
    text: `${field || PARTS[part] || part} ${inPlainWords(rest)}${
      hint ? ` (${field}: ${hint})` : ''
    }`,
  };
}

/**
 * The spec validator's refusal in the plugin's words, or the error unchanged when it
 * is not one.
 */
export function explainSpecRefusal(
  error: unknown,
  req: Request,
  spec: Spec,
): unknown {
  if (!isSpecRefusal(error)) return error;
  const known = fieldsOf(spec, req);
  const problems = error.message
    .split(/, (?=request\/)/)
    .map(problem => explainProblem(problem, req, known));
  const part = PARTS[problems[0].part] ?? 'request';
  return new InputError(
    `Invalid ${part}: ${problems.map(p => p.text).join('; ')}`,
  );
}
