import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { DatasetToNotify } from '../../store/CampaignStore';

/** The dataset's migrations tab, where owners approve, watch and finalize. */
function datasetTab(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/dataset-migrations`;
}

/** What a dataset's owners are told when a campaign needs them. */
export function campaignNotification(
  dataset: DatasetToNotify,
): NotificationPayload {
  const base = {
    link: datasetTab(dataset.entityRef),
    topic: `dataset-migrations:campaign:${dataset.campaignId}`,
    scope: `${dataset.campaignId}:${dataset.entityRef}`,
  };
  switch (dataset.state) {
    case 'awaiting_approval':
      return {
        ...base,
        title: `Campaign "${dataset.campaignName}" asks to migrate ${dataset.entityRef}`,
        description:
          `Review the plan and approve (or decline) it on the dataset's page. ${
            dataset.reason ?? ''
          }`.trim(),
        severity: 'normal',
      };
    case 'failed':
      return {
        ...base,
        title: `The migration of ${dataset.entityRef} failed`,
        description: `Campaign "${dataset.campaignName}": ${
          dataset.reason ?? 'see the migration for the cause'
        }`,
        severity: 'high',
      };
    default:
      return {
        ...base,
        title: `${dataset.entityRef} has moved and awaits cleanup`,
        description: `Campaign "${dataset.campaignName}": readers use the compatibility layer until cleanup; repoint consumers, then finalize.`,
        severity: 'normal',
      };
  }
}
