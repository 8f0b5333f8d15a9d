import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { safeErrorMessage } from '../errors/safeErrorMessage';

/**
 * Sends a notification to an entity (a user or a group). One that cannot be sent is
 * logged: it never stops the campaign or rollout that sent it.
 */
export async function notifyEntity(
  notifications: NotificationService | undefined,
  logger: LoggerService,
  entityRef: string,
  payload: Parameters<NotificationService['send']>[0]['payload'],
): Promise<void> {
  if (!notifications) return;
  try {
    await notifications.send({
      recipients: { type: 'entity', entityRef },
      payload,
    });
  } catch (e) {
    logger.warn(`Could not notify ${entityRef}: ${safeErrorMessage(e)}`);
  }
}
