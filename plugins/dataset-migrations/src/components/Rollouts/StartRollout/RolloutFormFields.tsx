import type { AgentVersions } from '@internal/backstage-plugin-dataset-migrations-common';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import {
  candidateVersions,
  RolloutForm,
  RolloutFormErrors,
  withAgent,
} from './rolloutForm';

type FieldSpec = {
  key: keyof RolloutForm;
  label: string;
  helper: string;
  type?: 'number';
};

const PACE_FIELDS: FieldSpec[] = [
  {
    key: 'steps',
    label: 'Steps (%)',
    helper: 'Traffic shares, rising, ending at 100, e.g. 5, 25, 50, 100',
  },
  {
    key: 'minPerStep',
    label: 'Min per step',
    helper: 'Finished candidate migrations before a step is judged',
    type: 'number',
  },
  {
    key: 'bakeSeconds',
    label: 'Bake time (s)',
    helper: 'Each step runs at least this long',
    type: 'number',
  },
];

const GATE_FIELDS: FieldSpec[] = [
  {
    key: 'maxFailureRateMarginPercent',
    label: 'Failure rate margin (%)',
    helper: 'Candidate failure rate at most this far above stable',
    type: 'number',
  },
  {
    key: 'maxRollbackRateMarginPercent',
    label: 'Rollback rate margin (%)',
    helper: 'Candidate rollback rate at most this far above stable',
    type: 'number',
  },
  {
    key: 'maxVerifyMismatchMarginPercent',
    label: 'Verify mismatch margin (%)',
    helper: 'Share of verify mismatches at most this far above stable',
    type: 'number',
  },
  {
    key: 'minThroughputSharePercent',
    label: 'Minimum throughput share (%)',
    helper: "Candidate copy rows/s at least this share of stable's",
    type: 'number',
  },
];

/** The inputs of a new rollout, each labelled, with its error under it. */
export const RolloutFormFields = ({
  agents,
  form,
  errors,
  onChange,
}: {
  agents: AgentVersions[];
  form: RolloutForm;
  errors: RolloutFormErrors;
  onChange: (form: RolloutForm) => void;
}) => {
  const agent = agents.find(a => a.id === form.agentId);
  const field = (spec: FieldSpec) => (
    <TextField
      id={`rollout-${spec.key}`}
      label={spec.label}
      value={form[spec.key]}
      type={spec.type}
      fullWidth
      margin="dense"
      error={Boolean(errors[spec.key])}
      helperText={errors[spec.key] ?? spec.helper}
      onChange={e => onChange({ ...form, [spec.key]: e.target.value })}
    />
  );
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <TextField
          id="rollout-agentId"
          select
          SelectProps={{ native: true }}
          label="Agent"
          value={form.agentId}
          fullWidth
          margin="dense"
          error={Boolean(errors.agentId)}
          helperText={
            errors.agentId ?? 'The agent whose new version to release'
          }
          onChange={e => onChange(withAgent(form, agents, e.target.value))}
        >
          <option value="">Choose an agent</option>
          {agents.map(a => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} md={6}>
        <TextField
          id="rollout-candidateVersion"
          select
          SelectProps={{ native: true }}
          label="Candidate version"
          value={form.candidateVersion}
          fullWidth
          margin="dense"
          error={Boolean(errors.candidateVersion)}
          helperText={
            errors.candidateVersion ??
            (agent
              ? `Stable today: ${agent.stableVersion}`
              : 'Choose an agent first')
          }
          onChange={e =>
            onChange({ ...form, candidateVersion: e.target.value })
          }
        >
          <option value="">Choose a version</option>
          {candidateVersions(agent).map(v => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </TextField>
      </Grid>
      {PACE_FIELDS.map(spec => (
        <Grid item xs={12} md={4} key={spec.key}>
          {field(spec)}
        </Grid>
      ))}
      {GATE_FIELDS.map(spec => (
        <Grid item xs={12} md={6} key={spec.key}>
          {field(spec)}
        </Grid>
      ))}
      <Grid item xs={12}>
        <FormControl component="fieldset">
          <FormLabel component="legend">
            On abort, running candidate migrations
          </FormLabel>
          <RadioGroup
            row
            aria-label="on abort"
            value={form.onAbort}
            onChange={e =>
              onChange({
                ...form,
                onAbort: e.target.value as RolloutForm['onAbort'],
              })
            }
          >
            <FormControlLabel
              value="finish"
              control={<Radio />}
              label="Finish"
            />
            <FormControlLabel
              value="rollback"
              control={<Radio />}
              label="Roll back"
            />
          </RadioGroup>
        </FormControl>
      </Grid>
    </Grid>
  );
};
