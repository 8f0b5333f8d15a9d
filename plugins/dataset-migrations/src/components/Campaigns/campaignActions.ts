import type {
  Campaign,
  CampaignAction,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** How a campaign action reads on screen, when it applies, and whether it asks first. */
export type CampaignActionSpec = {
  action: CampaignAction;
  label: string;
  /** What happens, shown in the confirmation of the actions that need one. */
  consequence?: string;
  /** Drops what a person cannot get back: drawn in the error colour. */
  isIrreversible?: boolean;
  appliesTo: (campaign: Campaign) => boolean;
};

const isOpen = (c: Campaign) => c.status === 'active' || c.status === 'paused';

// -common has no table of the campaign actions each status allows (as it has for
// migrations); until it does, these predicates mirror what the backend accepts.
export const CAMPAIGN_ACTION_SPECS: CampaignActionSpec[] = [
  { action: 'pause', label: 'Pause', appliesTo: c => c.status === 'active' },
  { action: 'resume', label: 'Resume', appliesTo: c => c.status === 'paused' },
  {
    action: 'replan',
    label: 'Re-plan blocked',
    appliesTo: c => isOpen(c) && c.counts.blocked > 0,
  },
  {
    action: 'finalize',
    label: 'Finalize all awaiting cleanup',
    consequence:
      'The compatibility views (or frozen sources) and backups of every dataset of this campaign awaiting cleanup are dropped now. This cannot be undone: make sure their consumers read the new tables.',
    isIrreversible: true,
    appliesTo: c => c.counts.awaiting_cleanup > 0,
  },
  {
    action: 'cancel',
    label: 'Cancel campaign',
    consequence:
      'Queued and waiting datasets are skipped; migrations already running finish or roll back on their own. A cancelled campaign cannot be resumed.',
    appliesTo: isOpen,
  },
];
