import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Request } from 'express';

type AuditEvent = Parameters<AuditorService['createEvent']>[0];
type AuditMeta = NonNullable<AuditEvent['meta']>;

/**
 * Runs an action as one auditor event: created before it runs, then marked a success
 * (with what the result adds to the event) or a failure with the error, which goes on
 * to the error handler.
 */
export async function withAudit<T>(
  auditor: AuditorService,
  req: Request,
  event: Omit<AuditEvent, 'request'>,
  action: () => Promise<T>,
  successMeta: (result: T) => AuditMeta,
): Promise<T> {
  const audit = await auditor.createEvent({ ...event, request: req });
  try {
    const result = await action();
    await audit.success({ meta: successMeta(result) });
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
