import type {
  AgentVersions,
  NewRolloutRequest,
  RolloutAbortPolicy,
  RolloutGates,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** The dialog's inputs as typed: steps are comma-separated, numbers and percents text. */
export type RolloutForm = {
  agentId: string;
  candidateVersion: string;
  steps: string;
  minPerStep: string;
  bakeSeconds: string;
  maxFailureRateMarginPercent: string;
  maxRollbackRateMarginPercent: string;
  maxVerifyMismatchMarginPercent: string;
  minThroughputSharePercent: string;
  onAbort: RolloutAbortPolicy;
};

/** Errors under the field they name. */
export type RolloutFormErrors = Partial<Record<keyof RolloutForm, string>>;

export const DEFAULT_ROLLOUT_FORM: RolloutForm = {
  agentId: '',
  candidateVersion: '',
  steps: '5, 25, 50, 100',
  minPerStep: '20',
  bakeSeconds: '600',
  maxFailureRateMarginPercent: '5',
  maxRollbackRateMarginPercent: '5',
  maxVerifyMismatchMarginPercent: '0',
  minThroughputSharePercent: '80',
  onAbort: 'finish',
};

/** The versions an agent can roll out: every registered one but the stable. */
export function candidateVersions(agent: AgentVersions | undefined): string[] {
  return agent ? agent.versions.filter(v => v !== agent.stableVersion) : [];
}

/** The form for `agentId`, with its first candidate version chosen. */
export function withAgent(
  form: RolloutForm,
  agents: AgentVersions[],
  agentId: string,
): RolloutForm {
  const agent = agents.find(a => a.id === agentId);
  return {
    ...form,
    agentId,
    candidateVersion: candidateVersions(agent)[0] ?? '',
  };
}

/** A whole number within bounds, or the message that names the field and the fix. */
function wholeNumber(
  text: string,
  label: string,
  min: number,
  max: number,
): number | string {
  const value = Number(text.trim());
  if (
    text.trim() === '' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    return `${label} must be a whole number from ${min} to ${max}.`;
  }
  return value;
}

/** A percentage typed by a person, as the share (0–1) the API takes. */
function percentAsShare(text: string, label: string): number | string {
  const value = Number(text.trim());
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > 100
  ) {
    return `${label} must be a percentage between 0 and 100.`;
  }
  return value / 100;
}

/** "5, 25, 50, 100" as rising whole percentages ending at 100, or what is wrong. */
function trafficSteps(text: string): number[] | string {
  const parts = text
    .split(',')
    .map(p => p.trim())
    .filter(Boolean);
  if (parts.length === 0) {
    return 'Steps are required: traffic shares in percent, e.g. 5, 25, 50, 100.';
  }
  if (parts.length > 20) return 'Steps: at most 20 steps.';
  const bad = parts.find(p => {
    const n = Number(p);
    return !Number.isInteger(n) || n < 1 || n > 100;
  });
  if (bad !== undefined) {
    return `Steps: "${bad}" is not a whole percentage from 1 to 100; write them as 5, 25, 50, 100.`;
  }
  const steps = parts.map(Number);
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1])) {
    return 'Steps must rise, each above the one before, e.g. 5, 25, 50, 100.';
  }
  if (steps[steps.length - 1] !== 100) {
    return 'Steps must end at 100: the candidate becomes stable there.';
  }
  return steps;
}

const GATE_FIELDS: Array<{
  field: keyof RolloutForm;
  gate: keyof RolloutGates;
  label: string;
}> = [
  {
    field: 'maxFailureRateMarginPercent',
    gate: 'maxFailureRateMargin',
    label: 'Failure rate margin',
  },
  {
    field: 'maxRollbackRateMarginPercent',
    gate: 'maxRollbackRateMargin',
    label: 'Rollback rate margin',
  },
  {
    field: 'maxVerifyMismatchMarginPercent',
    gate: 'maxVerifyMismatchMargin',
    label: 'Verify mismatch margin',
  },
  {
    field: 'minThroughputSharePercent',
    gate: 'minThroughputShare',
    label: 'Minimum throughput share',
  },
];

/**
 * The request the form stands for, or the errors that stop it, each under the field
 * it names. The same bounds as the backend's, so a person learns them before sending.
 */
export function toRolloutRequest(form: RolloutForm): {
  request?: NewRolloutRequest;
  errors: RolloutFormErrors;
} {
  const errors: RolloutFormErrors = {};
  if (!form.agentId) {
    errors.agentId = 'Agent is required: choose the agent to roll out.';
  }
  if (!form.candidateVersion) {
    errors.candidateVersion =
      'Candidate version is required: choose a registered version other than the stable one.';
  }
  const steps = trafficSteps(form.steps);
  if (typeof steps === 'string') errors.steps = steps;
  const minPerStep = wholeNumber(form.minPerStep, 'Min per step', 1, 100_000);
  if (typeof minPerStep === 'string') errors.minPerStep = minPerStep;
  const bakeSeconds = wholeNumber(
    form.bakeSeconds,
    'Bake time',
    0,
    30 * 86_400,
  );
  if (typeof bakeSeconds === 'string') errors.bakeSeconds = bakeSeconds;
  const gates: Partial<RolloutGates> = {};
  for (const { field, gate, label } of GATE_FIELDS) {
    const share = percentAsShare(form[field], label);
    if (typeof share === 'string') errors[field] = share;
    else gates[gate] = share;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    request: {
      agentId: form.agentId,
      candidateVersion: form.candidateVersion,
      steps: steps as number[],
      minPerStep: minPerStep as number,
      bakeSeconds: bakeSeconds as number,
      gates: gates as RolloutGates,
      onAbort: form.onAbort,
    },
  };
}
