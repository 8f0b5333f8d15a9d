import type { RolloutDetail } from '@internal/backstage-plugin-dataset-migrations-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { gateChecks } from './gateChecks';
import { GateVerdictLabel } from './RolloutStatus';

/** Candidate and stable numbers side by side over the same window, each with its gate. */
export const GateNumbersTable = ({ rollout }: { rollout: RolloutDetail }) => (
  <Table size="small" aria-label="gate numbers">
    <TableHead>
      <TableRow>
        <TableCell component="th">Number</TableCell>
        <TableCell component="th">
          Candidate {rollout.candidate.version}
        </TableCell>
        <TableCell component="th">Stable {rollout.stable.version}</TableCell>
        <TableCell component="th">Gate</TableCell>
        <TableCell component="th">Verdict</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {gateChecks(rollout, rollout.candidate, rollout.stable).map(check => (
        <TableRow key={check.label}>
          <TableCell component="th" scope="row">
            {check.label}
          </TableCell>
          <TableCell>{check.candidate}</TableCell>
          <TableCell>{check.stable}</TableCell>
          <TableCell>{check.gate}</TableCell>
          <TableCell>
            <GateVerdictLabel verdict={check.verdict} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
