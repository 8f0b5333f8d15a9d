/*
 * How many of the machine's cores a bench run kept busy, from Linux's /proc/stat: with
 * the instances' and PostgreSQL's own CPU (fleetProcess.ts' `cpuMeter`) it says whether
 * a second instance had a core to run on at all.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The machine's busy and total ticks (the first line of /proc/stat). */
function machineTicks(): { busy: number; all: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const all = fields.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th: a core waiting for the disk is not busy.
  return { busy: all - fields[3] - (fields[4] ?? 0), all };
}

export type CpuUse = {
  /** Cores busy on average over the run (the machine has `cores`). */
  busyCores: number;
  cores: number;
  /** Busy CPU seconds of the machine over the run. */
  busyCpuS: number;
  /** CPU seconds each instance used over the run. */
  instanceCpuS: number[];
  /** CPU seconds of PostgreSQL's backends of the bench's databases. */
  postgresCpuS: number;
};

/**
 * Starts measuring the machine's busy time; the returned function ends the measure and
 * reports it beside what the meters of the instances and PostgreSQL measured.
 */
export function measureMachineCpu(): (
  meters: Pick<CpuUse, 'instanceCpuS' | 'postgresCpuS'>,
) => CpuUse {
  const start = machineTicks();
  return meters => {
    const end = machineTicks();
    const cores = os.cpus().length;
    const all = end.all - start.all;
    const busy = end.busy - start.busy;
    return {
      busyCores: all > 0 ? (busy / all) * cores : NaN,
      cores,
      busyCpuS: busy / TICKS_PER_SECOND,
      ...meters,
    };
  };
}
