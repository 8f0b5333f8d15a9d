import { InputError, NotAllowedError, serializeError } from '@backstage/errors';
import { toApiError, TooManyRequestsError } from './apiErrors';

const SECRET = 'postgres://u:p#ss-S3cret@db.internal/lake';

describe('toApiError', () => {
  it('turns a driver or runtime error into a plain 500 without its text or properties', () => {
    // What `new URL(connectionString)` throws: the string rides along as `input`.
    const urlError = Object.assign(new TypeError(`Invalid URL: ${SECRET}`), {
      code: 'ERR_INVALID_URL',
      input: SECRET,
    });
    const safe = toApiError(urlError);
    expect(safe.name).toBe('Error');
    expect(safe.message).toMatch(/^Dataset migrations failed unexpectedly: /);
    expect(JSON.stringify(serializeError(safe))).not.toContain('S3cret');
  });

  it('keeps a Backstage error and its status but not its cause', () => {
    const cause = Object.assign(new Error('duplicate key'), {
      detail: 'Key (id)=(S3cret) already exists.',
    });
    const safe = toApiError(new NotAllowedError('You may not', cause));
    expect(safe).toBeInstanceOf(NotAllowedError);
    expect(safe.message).toBe('You may not; caused by duplicate key');
    expect(JSON.stringify(serializeError(safe))).not.toContain('S3cret');
    const input = new InputError('bad field');
    expect(toApiError(input)).toBe(input);
  });

  it('answers too many requests with 429', () => {
    const error = toApiError(new TooManyRequestsError('slow down'));
    expect((error as TooManyRequestsError).statusCode).toBe(429);
    expect(error.name).toBe('TooManyRequestsError');
  });

  it("answers express.json's refusals with a 400 that does not quote the body", () => {
    // What body-parser throws for a malformed body (the fuzz test found it as a 500).
    const parse = Object.assign(
      new SyntaxError(`Unexpected token 'S', "S3cret" is not valid JSON`),
      { type: 'entity.parse.failed', status: 400, body: 'S3cret' },
    );
    const safe = toApiError(parse);
    expect(safe).toBeInstanceOf(InputError);
    expect(safe.message).toBe(
      'The request body is not valid JSON; send a JSON object',
    );
    expect(JSON.stringify(serializeError(safe))).not.toContain('S3cret');
    const large = toApiError(
      Object.assign(new Error('request entity too large'), {
        type: 'entity.too.large',
        status: 413,
      }),
    );
    expect(large.message).toMatch(/larger than the 1 MB/);
  });
});
