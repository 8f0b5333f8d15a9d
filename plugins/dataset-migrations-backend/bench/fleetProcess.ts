/*
 * Backend instances of `yarn bench:fleet` as child processes (optionally pinned to a
 * core with taskset, which execs node so the pid stays the instance's), and their
 * memory as the kernel counts it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compiledScript } from './compiledScript';
import type { FleetInstanceArgs } from './fleetInstance';

const REPO = path.resolve(__dirname, '../../..');

export type FleetInstance = {
  child: ChildProcess;
  baseUrl: string;
  /** The core it is pinned to, if any. */
  core?: number;
};

/**
 * Starts an instance and resolves once its HTTP server listens. It runs the plugin
 * compiled to JavaScript, as a backend does: under the development transpiler its RSS
 * and CPU would count swc and the transpiled sources too.
 */
export async function startFleetInstance(
  args: FleetInstanceArgs,
  core?: number,
): Promise<FleetInstance> {
  const node = [
    process.execPath,
    // Node flags for the instances alone, e.g. FLEET_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
    ...(process.env.FLEET_NODE_ARGS ?? '').split(' ').filter(Boolean),
    await compiledScript(path.join(__dirname, 'fleetInstance.ts')),
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

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU time (user + system) a process has used so far, in ms; undefined once it is gone. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command's ")" : state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** The PostgreSQL backends serving one of `databases` now (their title names the database). */
export function postgresBackendsOf(databases: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (
        title.startsWith('postgres: ') &&
        databases.some(db => title.includes(` ${db} `))
      ) {
        pids.push(Number(entry));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/**
 * The CPU a set of processes uses from `start()` on, sampled (`sample()`) so that one
 * that exits meanwhile keeps what it used until its last sample.
 */
export function cpuMeter(processes: () => number[]) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = (isStart = false) => {
    for (const pid of processes()) {
      const ms = cpuMsOf(pid);
      if (ms === undefined) continue;
      if (!first.has(pid)) first.set(pid, isStart ? ms : 0);
      last.set(pid, ms);
    }
  };
  return {
    start: () => sample(true),
    sample: () => sample(),
    /** CPU ms used since `start()`. */
    usedMs: () =>
      [...last].reduce((sum, [pid, ms]) => sum + ms - (first.get(pid) ?? 0), 0),
  };
}
