import { CodeSnippet } from '@backstage/core-components';
import type {
  ConsumerFile,
  ConsumerStatement,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

const fileName = (url: string) =>
  decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);

/** Rows on each side and a few of the rows both returned. */
const ParityEvidence = ({ statement }: { statement: ConsumerStatement }) => {
  const { parity } = statement;
  if (!parity) return null;
  return (
    <>
      <Typography variant="body2">
        old {parity.oldRows} row(s), new {parity.newRows} row(s)
        {parity.ordered ? ', compared in order' : ', compared as multisets'}
      </Typography>
      {parity.sample.length > 0 && (
        <CodeSnippet
          text={parity.sample.map(row => JSON.stringify(row)).join('\n')}
          language="json"
        />
      )}
    </>
  );
};

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** One file of a consumer: what happened to each statement, and the diff. */
export const ConsumerFileView = ({ file }: { file: ConsumerFile }) => {
  const touched = file.statements.filter(s => s.outcome !== 'untouched');
  return (
    <Box mb={2} role="region" aria-label={fileName(file.url)}>
      <Typography variant="subtitle2" title={file.url}>
        {fileName(file.url)} · {file.statements.length} statement(s)
      </Typography>
      {touched.length > 0 && (
        <Table size="small" aria-label={`statements of ${fileName(file.url)}`}>
          <TableHead>
            <TableRow>
              {/* Short columns keep their words (the theme breaks words in cells:
                  "Li|ne", "verifi|ed" on a phone); the evidence takes the rest. */}
              <TableCell style={NO_WRAP}>Line</TableCell>
              <TableCell style={NO_WRAP}>Outcome</TableCell>
              <TableCell>Evidence or reason</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {touched.map(s => (
              <TableRow key={`${s.line}-${s.original.slice(0, 40)}`}>
                <TableCell style={NO_WRAP}>{s.line}</TableCell>
                <TableCell style={NO_WRAP}>{s.outcome}</TableCell>
                <TableCell>
                  {s.reason && (
                    <Typography variant="body2">{s.reason}</Typography>
                  )}
                  <ParityEvidence statement={s} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {file.diff && (
        <Box mt={1}>
          {/* Plain, like `git diff` without colour: the highlighter's diff theme greys
              the file and hunk headers below 4.5:1 (axe: color-contrast). */}
          <CodeSnippet text={file.diff} language="text" showCopyCodeButton />
        </Box>
      )}
    </Box>
  );
};
