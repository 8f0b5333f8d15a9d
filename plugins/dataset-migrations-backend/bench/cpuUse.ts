/*
 * Where a bench run's CPU went, from Linux's /proc: how many of the machine's cores were
 * busy on average, and how much CPU time the given processes (the backend instances)
 * used. The rest of the busy time is everything else: PostgreSQL's backends above all.
 * It says whether a second instance had a core to run on at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

type CpuSnapshot = {
  busyTicks: number;
  allTicks: number;
  processTicks: number[];
  /** Each live PostgreSQL process's ticks, by pid. */
  postgresTicks: Map<number, number>;
};

/** The pids of the machine's PostgreSQL processes (server and backends). */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter(name => /^\d+$/.test(name))
    .filter(pid => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The machine's busy and total ticks (the first line of /proc/stat), and each process's. */
function snapshot(pids: number[]): CpuSnapshot {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const allTicks = fields.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th: a core waiting for the disk is not busy.
  const busyTicks = allTicks - fields[3] - (fields[4] ?? 0);
  return {
    busyTicks,
    allTicks,
    processTicks: pids.map(processTicks),
    postgresTicks: new Map(postgresPids().map(pid => [pid, processTicks(pid)])),
  };
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat); 0 once it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing paren.
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(after[11]) + Number(after[12]);
  } catch {
    return 0;
  }
}

export type CpuUse = {
  /** Cores busy on average over the run (the machine has `cores`). */
  busyCores: number;
  cores: number;
  /** CPU seconds each process used over the run. */
  processCpuS: number[];
  /**
   * CPU seconds of PostgreSQL's processes alive at the end (a backend that started and
   * ended within the run is missed: the pools keep theirs open).
   */
  postgresCpuS: number;
  /** Busy CPU seconds of the machine over the run. */
  busyCpuS: number;
};

/** Starts measuring; the returned function ends the measure and reports it. */
export function measureCpu(pids: number[]): () => CpuUse {
  const start = snapshot(pids);
  return () => {
    const end = snapshot(pids);
    const cores = os.cpus().length;
    const all = end.allTicks - start.allTicks;
    const busy = end.busyTicks - start.busyTicks;
    return {
      busyCores: all > 0 ? (busy / all) * cores : NaN,
      cores,
      processCpuS: end.processTicks.map(
        (t, i) => (t - start.processTicks[i]) / TICKS_PER_SECOND,
      ),
      postgresCpuS:
        [...end.postgresTicks].reduce(
          (sum, [pid, ticks]) =>
            sum + ticks - (start.postgresTicks.get(pid) ?? 0),
          0,
        ) / TICKS_PER_SECOND,
      busyCpuS: busy / TICKS_PER_SECOND,
    };
  };
}
