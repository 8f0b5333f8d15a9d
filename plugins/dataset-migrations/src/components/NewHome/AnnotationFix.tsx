import { CopyTextButton } from '@backstage/core-components';
import { DATASET_LOCATION_ANNOTATION } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** The line of catalog-info.yaml that names the new home, with a button that copies it. */
export const AnnotationFix = ({
  location,
  intro,
}: {
  location: string;
  intro: string;
}) => {
  const line = `${DATASET_LOCATION_ANNOTATION}: ${location}`;
  return (
    <>
      <Typography variant="body2" color="textSecondary">
        {intro}
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={2}>
        <code>{line}</code>
        <CopyTextButton
          text={line}
          aria-label="Copy the annotation line"
          tooltipText="Annotation line copied"
        />
      </Box>
    </>
  );
};
