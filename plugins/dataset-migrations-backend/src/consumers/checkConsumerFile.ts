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
import { whyNoWriteParity, writeVerbOf } from './oldNameWrites';
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

/** Today's word on a write nobody runs: write checks are off (or predate this). */
export const WRITES_NOT_CHECKED =
  'it writes: parity runs reads only, so review this rewrite before merging it';

/** What proving a statement needs besides the statement. */
export type ProofOptions = {
  parity: ParitySides | { reason: string };
  verifyParity?: VerifyParity;
  move: ConsumerMove;
  /** `datasetMigrations.consumers.parity.writes`: writes run rolled back on both sides. */
  checksWrites: boolean;
};

async function proveStatement(
  s: ConsumerRewriteStatement,
  { parity, verifyParity, move, checksWrites }: ProofOptions,
): Promise<ConsumerStatement> {
  if (s.outcome !== 'rewritten') return unproven(s, s.outcome, s.reason);
  if (!s.reads && !checksWrites)
    return unproven(s, 'rewritten', WRITES_NOT_CHECKED);
  if ('reason' in parity) return unproven(s, 'rewritten', parity.reason);
  if (!verifyParity) {
    return unproven(s, 'rewritten', 'not proven: no parity check is installed');
  }
  try {
    if (!s.reads) {
      const refusal = await whyNoWriteParity(parity, writeVerbOf(s.original));
      if (refusal) return unproven(s, 'rewritten', refusal);
    }
    const { oldSide, newSide, engine } = parity;
    return await verifyParity({
      statement: s,
      oldSide,
      newSide,
      engine,
      move: { from: move.from, to: move.to, columns: move.columns },
    });
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
 * One file of a consumer: its agent's rewrite, each rewritten statement proven by
 * parity where the migration allows (writes rolled back on both sides, unless
 * switched off), and the diff of what is offered.
 */
export async function checkConsumerFile(
  file: ConsumerSourceFile,
  options: ProofOptions & {
    agent: DatasetMigrationConsumerAgent;
    baseUrl: string;
  },
): Promise<ConsumerFile> {
  const rewrite = await options.agent.rewrite({
    text: file.text,
    ...options.move,
  });
  const statements: ConsumerStatement[] = [];
  // One statement at a time: parity queries hold connections of the dataset's databases.
  for (const s of rewrite.statements) {
    statements.push(await proveStatement(s, options));
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
