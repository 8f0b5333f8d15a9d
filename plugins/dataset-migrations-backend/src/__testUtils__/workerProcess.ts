import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../../..');

/**
 * Starts `crashWorker.ts` in a process of its own, as a backend instance runs its
 * workers, with `args` (the plugin's database, the connections, worker slots, lease).
 * `onExit` hears how the process ended, with everything it wrote to stderr.
 */
export function startWorkerProcess(
  args: object,
  onExit: (
    code: number | null,
    signal: NodeJS.Signals | null,
    stderr: string,
  ) => void,
  onStderr: (chunk: string) => void = () => {},
): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, 'crashWorker.ts'),
      JSON.stringify(args),
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += chunk;
    onStderr(String(chunk));
  });
  child.on('exit', (code, signal) => onExit(code, signal, stderr));
  return child;
}
