/*
 * Backend instances of `yarn bench:fleet` as child processes (optionally pinned to a
 * core with taskset, which execs node so the pid stays the instance's), and their
 * memory as the kernel counts it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FleetInstanceArgs } from './fleetInstance';

const REPO = path.resolve(__dirname, '../../..');

export type FleetInstance = {
  child: ChildProcess;
  baseUrl: string;
  /** The core it is pinned to, if any. */
  core?: number;
};

/** Starts an instance and resolves once its HTTP server listens. */
export function startFleetInstance(
  args: FleetInstanceArgs,
  core?: number,
): Promise<FleetInstance> {
  const node = [
    process.execPath,
    // Node flags for the instances alone, e.g. FLEET_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
    ...(process.env.FLEET_NODE_ARGS ?? '').split(' ').filter(Boolean),
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    path.join(__dirname, 'fleetInstance.ts'),
    JSON.stringify(args),
  ];
  const command =
    core === undefined ? node : ['taskset', '-c', String(core), ...node];
  const child = spawn(command[0], command.slice(1), {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', chunk =>
    process.stderr.write(`  [instance] ${chunk}`),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', chunk => {
      out += chunk;
      const ready = /READY (\d+)/.exec(out);
      if (ready) {
        resolve({ child, baseUrl: `http://127.0.0.1:${ready[1]}`, core });
      }
    });
    child.on('exit', code =>
      reject(
        new Error(`fleet instance exited with ${code} before it was ready`),
      ),
    );
  });
}

/** Stops an instance and waits for its exit (SIGKILL after 10 s). */
export async function stopFleetInstance(instance: FleetInstance) {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** VmRSS and VmHWM (the peak the kernel saw) of a process, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return {
    rssMb: Math.round(kb('VmRSS') / 1024),
    peakMb: Math.round(kb('VmHWM') / 1024),
  };
}
