import type {
  ConsumerFile,
  ConsumerStatement,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  ConsumerRewrite,
  ConsumerRewriteStatement,
  DatasetMigrationConsumerAgent,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import type { ConsumerMove } from './consumerMove';
import type { ParitySides } from './paritySides';
import type { ConsumerSourceFile } from './readConsumerFiles';
import { diffPath, unifiedDiff } from './unifiedDiff';
import type { VerifyParity } from './VerifyParity';

/** Outcomes whose rewrite goes into the patch. */
const OFFERED = new Set(['verified', 'rewritten']);

/** The agent for a file: the first registered one that handles its name. */
export function agentFor(
  agents: DatasetMigrationConsumerAgent[],
  url: string,
): DatasetMigrationConsumerAgent | undefined {
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return agents.find(agent => agent.handles(name));
}

/** A statement the agent left as it was, or could not rewrite: no parity to run. */
const unproven = (
  s: ConsumerRewriteStatement,
  outcome: ConsumerStatement['outcome'],
  reason: string | null,
): ConsumerStatement => ({
  line: s.line,
  original: s.original,
  rewritten: s.rewritten,
  outcome,
  reason,
});

async function proveStatement(
  s: ConsumerRewriteStatement,
  parity: ParitySides | { reason: string },
  verifyParity: VerifyParity | undefined,
): Promise<ConsumerStatement> {
  if (s.outcome !== 'rewritten') return unproven(s, s.outcome, s.reason);
  if (!s.reads) {
    return unproven(
      s,
      'rewritten',
      'it writes: parity runs reads only, so review this rewrite before merging it',
    );
  }
  if ('reason' in parity) return unproven(s, 'rewritten', parity.reason);
  if (!verifyParity) {
    return unproven(s, 'rewritten', 'not proven: no parity check is installed');
  }
  try {
    return await verifyParity({ statement: s, ...parity });
  } catch (e) {
    return unproven(
      s,
      'rewritten',
      `not proven: the parity run failed (${safeErrorMessage(e)})`,
    );
  }
}

/**
 * The file with only the offered rewrites in it. The agent's text holds every rewrite;
 * when parity refused some, the file is rebuilt from the original, each offered
 * statement replaced in order. Null when a statement is not found as the agent quoted
 * it: no patch is better than a wrong one.
 */
function offeredText(
  file: ConsumerSourceFile,
  rewrite: ConsumerRewrite,
  statements: ConsumerStatement[],
): string | null {
  const refused = statements.some(
    (s, i) =>
      rewrite.statements[i].outcome === 'rewritten' && !OFFERED.has(s.outcome),
  );
  if (!refused) return rewrite.text;
  let text = '';
  let rest = file.text;
  for (const s of statements) {
    if (!OFFERED.has(s.outcome) || s.rewritten === null) continue;
    const at = rest.indexOf(s.original);
    if (at < 0) return null;
    text += rest.slice(0, at) + s.rewritten;
    rest = rest.slice(at + s.original.length);
  }
  return text + rest;
}

/**
 * One file of a consumer: its agent's rewrite, each rewritten read proven by parity
 * where the migration allows, and the diff of what is offered.
 */
export async function checkConsumerFile(
  file: ConsumerSourceFile,
  options: {
    agent: DatasetMigrationConsumerAgent;
    move: ConsumerMove;
    baseUrl: string;
    parity: ParitySides | { reason: string };
    verifyParity?: VerifyParity;
  },
): Promise<ConsumerFile> {
  const { agent, move, parity, verifyParity } = options;
  const rewrite = await agent.rewrite({ text: file.text, ...move });
  const statements: ConsumerStatement[] = [];
  // One statement at a time: parity queries hold connections of the dataset's databases.
  for (const s of rewrite.statements) {
    statements.push(await proveStatement(s, parity, verifyParity));
  }
  const text = offeredText(file, rewrite, statements);
  return {
    url: file.url,
    statements,
    diff:
      text === null
        ? null
        : unifiedDiff(diffPath(file.url, options.baseUrl), file.text, text),
  };
}
