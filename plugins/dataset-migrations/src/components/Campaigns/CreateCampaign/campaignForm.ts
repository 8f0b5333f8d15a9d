import type {
  CampaignMode,
  CampaignSelector,
  NewCampaignRequest,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** The dialog's inputs as typed: lists are comma-separated, numbers are text. */
export type CampaignForm = {
  name: string;
  owners: string;
  connections: string;
  schemas: string;
  tags: string;
  systems: string;
  nameGlob: string;
  agentId: string;
  mode: CampaignMode;
  maxRunning: string;
  startsPerMinute: string;
  failureWindow: string;
  maxFailureRatePercent: string;
};

/** Errors under the field they name; `selector` is about the selector fields together. */
export type CampaignFormErrors = Partial<
  Record<keyof CampaignForm | 'selector', string>
>;

export const EMPTY_CAMPAIGN_FORM: CampaignForm = {
  name: '',
  owners: '',
  connections: '',
  schemas: '',
  tags: '',
  systems: '',
  nameGlob: '',
  agentId: '',
  mode: 'owner-approval',
  maxRunning: '4',
  startsPerMinute: '30',
  failureWindow: '20',
  maxFailureRatePercent: '20',
};

const SELECTOR_LISTS = [
  'owners',
  'connections',
  'schemas',
  'tags',
  'systems',
] as const;

const list = (text: string) =>
  text
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);

/** A whole number of at least `min`, or the message that names the field and the fix. */
function wholeNumber(
  text: string,
  label: string,
  min: number,
): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min) {
    return `${label} must be a whole number of at least ${min}.`;
  }
  return value;
}

/**
 * The request the form stands for, or the errors that stop it, each under the field
 * it names. An empty selector is refused: a campaign over every dataset of the
 * catalog is never what a typo meant.
 */
export function toCampaignRequest(form: CampaignForm): {
  request?: NewCampaignRequest;
  errors: CampaignFormErrors;
} {
  const errors: CampaignFormErrors = {};
  if (!form.name.trim()) {
    errors.name = 'Name is required: say what the campaign moves and why.';
  }
  const selector: CampaignSelector = {};
  for (const key of SELECTOR_LISTS) {
    const values = list(form[key]);
    if (values.length > 0) selector[key] = values;
  }
  if (form.nameGlob.trim()) selector.nameGlob = form.nameGlob.trim();
  if (Object.keys(selector).length === 0) {
    errors.selector =
      'Selector is empty: give at least one of owners, connections, schemas, tags, systems or a name glob.';
  }
  const badOwner = list(form.owners).find(
    o => !/^[^:/]+:([^:/]+\/)?.+$/.test(o),
  );
  if (badOwner) {
    errors.owners = `Owners: "${badOwner}" is no entity ref; write it as group:default/team-a.`;
  }
  const maxRunning = wholeNumber(form.maxRunning, 'Max running', 1);
  if (typeof maxRunning === 'string') errors.maxRunning = maxRunning;
  const startsPerMinute = wholeNumber(
    form.startsPerMinute,
    'Starts per minute',
    1,
  );
  if (typeof startsPerMinute === 'string') {
    errors.startsPerMinute = startsPerMinute;
  }
  const window = wholeNumber(form.failureWindow, 'Failure window', 1);
  if (typeof window === 'string') errors.failureWindow = window;
  const rate = Number(form.maxFailureRatePercent.trim());
  if (
    form.maxFailureRatePercent.trim() === '' ||
    !Number.isFinite(rate) ||
    rate < 0 ||
    rate > 100
  ) {
    errors.maxFailureRatePercent =
      'Max failure rate must be a percentage between 0 and 100.';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    request: {
      name: form.name.trim(),
      selector,
      ...(form.agentId.trim() ? { agentId: form.agentId.trim() } : {}),
      mode: form.mode,
      pacing: {
        maxRunning: maxRunning as number,
        startsPerMinute: startsPerMinute as number,
      },
      failureBudget: {
        window: window as number,
        maxFailureRate: rate / 100,
      },
    },
  };
}
