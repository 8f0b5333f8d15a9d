import { InfoCard } from '@backstage/core-components';
import type { AgentVersions } from '@internal/backstage-plugin-dataset-migrations-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

/** The registered agents, each with its versions and the stable one marked. */
export const AgentsCard = ({
  agents,
  error,
}: {
  agents?: AgentVersions[];
  error?: string;
}) => (
  <InfoCard title="Agents">
    {error && (
      <Typography variant="body2" color="error">
        {error}
      </Typography>
    )}
    {agents && (
      <Table size="small" aria-label="agents">
        <TableHead>
          <TableRow>
            <TableCell component="th">Agent</TableCell>
            <TableCell component="th">Stable</TableCell>
            <TableCell component="th">Registered versions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {agents.map(agent => (
            <TableRow key={agent.id}>
              <TableCell component="th" scope="row">
                {agent.id}
              </TableCell>
              <TableCell>{agent.stableVersion}</TableCell>
              <TableCell>
                {agent.versions.map(v => (
                  <Chip
                    key={v}
                    size="small"
                    label={v === agent.stableVersion ? `${v} (stable)` : v}
                    color={v === agent.stableVersion ? 'primary' : 'default'}
                    style={{ marginRight: 4 }}
                  />
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </InfoCard>
);
