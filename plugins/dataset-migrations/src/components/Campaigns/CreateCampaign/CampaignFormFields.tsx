import type { CampaignMode } from '@internal/backstage-plugin-dataset-migrations-common';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { CampaignForm, CampaignFormErrors } from './campaignForm';

const MODE_TEXTS: Record<CampaignMode, { label: string; sentence: string }> = {
  'owner-approval': {
    label: 'Owner approval',
    sentence:
      "Each dataset's owners see the plan on its Migrations tab and confirm it with one click; nothing of theirs runs before.",
  },
  auto: {
    label: 'Auto',
    sentence:
      'Datasets whose plan has no warning or blocking finding and passed preflight are queued without a click; the rest wait for their owners.',
  },
};

type FieldSpec = {
  key: keyof CampaignForm;
  label: string;
  helper: string;
  type?: 'number';
};

const SELECTOR_FIELDS: FieldSpec[] = [
  {
    key: 'owners',
    label: 'Owners',
    helper: 'Comma-separated entity refs, e.g. group:default/team-a',
  },
  {
    key: 'connections',
    label: 'Connections',
    helper: 'Comma-separated connection names, e.g. warehouse',
  },
  { key: 'schemas', label: 'Schemas', helper: 'Comma-separated, e.g. public' },
  { key: 'tags', label: 'Tags', helper: 'Comma-separated catalog tags' },
  {
    key: 'systems',
    label: 'Systems',
    helper: 'Comma-separated entity refs, e.g. system:default/warehouse',
  },
  {
    key: 'nameGlob',
    label: 'Name glob',
    helper: "A glob over the dataset's name, e.g. page_*",
  },
];

const LIMIT_FIELDS: FieldSpec[] = [
  {
    key: 'maxRunning',
    label: 'Max running',
    helper: 'Migrations of this campaign at once, on all instances',
    type: 'number',
  },
  {
    key: 'startsPerMinute',
    label: 'Starts per minute',
    helper: 'On all instances together',
    type: 'number',
  },
  {
    key: 'failureWindow',
    label: 'Failure window',
    helper: 'The last N finished migrations looked at',
    type: 'number',
  },
  {
    key: 'maxFailureRatePercent',
    label: 'Max failure rate (%)',
    helper: 'Above it in the window, the campaign pauses itself',
    type: 'number',
  },
];

/** The inputs of a new campaign, each labelled, with its error under it. */
export const CampaignFormFields = ({
  form,
  errors,
  onChange,
}: {
  form: CampaignForm;
  errors: CampaignFormErrors;
  onChange: (form: CampaignForm) => void;
}) => {
  const field = (spec: FieldSpec, required = false) => (
    <TextField
      id={`campaign-${spec.key}`}
      label={spec.label}
      value={form[spec.key]}
      type={spec.type}
      required={required}
      fullWidth
      margin="dense"
      error={Boolean(errors[spec.key])}
      helperText={errors[spec.key] ?? spec.helper}
      onChange={e => onChange({ ...form, [spec.key]: e.target.value })}
    />
  );
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={8}>
        {field({ key: 'name', label: 'Name', helper: 'Shown to owners' }, true)}
      </Grid>
      <Grid item xs={12} md={4}>
        {field({
          key: 'agentId',
          label: 'Agent',
          helper: 'Blank: the configured default agent',
        })}
      </Grid>
      <Grid item xs={12}>
        <Typography variant="subtitle1">Selector</Typography>
        <Typography variant="body2" color="textSecondary">
          Every field given must match; a list matches any of its values.
        </Typography>
        {errors.selector && (
          <Typography variant="body2" color="error" role="alert">
            {errors.selector}
          </Typography>
        )}
      </Grid>
      {SELECTOR_FIELDS.map(spec => (
        <Grid item xs={12} md={6} key={spec.key}>
          {field(spec)}
        </Grid>
      ))}
      <Grid item xs={12}>
        <FormControl component="fieldset">
          <FormLabel component="legend">Mode</FormLabel>
          <RadioGroup
            value={form.mode}
            onChange={e =>
              onChange({ ...form, mode: e.target.value as CampaignMode })
            }
          >
            {(Object.keys(MODE_TEXTS) as CampaignMode[]).map(mode => (
              <FormControlLabel
                key={mode}
                value={mode}
                control={<Radio />}
                label={
                  <>
                    <strong>{MODE_TEXTS[mode].label}</strong>:{' '}
                    {MODE_TEXTS[mode].sentence}
                  </>
                }
              />
            ))}
          </RadioGroup>
        </FormControl>
      </Grid>
      <Grid item xs={12}>
        <Typography variant="subtitle1">Pacing and failure budget</Typography>
      </Grid>
      {LIMIT_FIELDS.map(spec => (
        <Grid item xs={12} sm={6} md={3} key={spec.key}>
          {field(spec)}
        </Grid>
      ))}
    </Grid>
  );
};
