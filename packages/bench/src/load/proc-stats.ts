/**
 * CPU time and memory of processes, read from /proc (Linux). Used for the server processes, which
 * run separately from the generator, so their figures are their own.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Kernel clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

export interface MemoryStats {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size (VmHWM), bytes. */
  peakRss: number;
}

export function processMemory(pid: number): MemoryStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

/** The distinct pids of a list (in-process test servers all report the test's own pid). */
function distinct(pids: readonly number[]): number[] {
  return [...new Set(pids)];
}

/** Summed memory of several processes, each counted once; the peak is the sum of each one's peak. */
export function processesMemory(pids: readonly number[]): MemoryStats {
  const total = { rss: 0, peakRss: 0 };
  for (const pid of distinct(pids)) {
    const memory = processMemory(pid);
    total.rss += memory.rss;
    total.peakRss += memory.peakRss;
  }
  return total;
}

/** CPU seconds of every live process whose command name (/proc/<pid>/comm) is in `names`, by pid. */
function cpuByCommand(names: ReadonlySet<string>): Map<number, { name: string; seconds: number }> {
  const found = new Map<number, { name: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (names.has(name)) found.set(Number(entry), { name, seconds: processCpuSeconds(Number(entry)) });
    } catch {
      // the process exited between listing and reading
    }
  }
  return found;
}

export interface CpuReading {
  seconds: number;
  /** All server processes together (each pid once), percent of one core. */
  serverCpuPercent: number;
  /** Each server process, in the order given (a pid given twice is reported twice). */
  perServerCpuPercent: number[];
  generatorCpuPercent: number;
  /** CPU of the shared services by command name (e.g. postgres, redis-server), percent of one core. */
  servicesCpuPercent: Record<string, number>;
}

/**
 * CPU use of the server processes, of the generator and of shared services (named processes such
 * as PostgreSQL's backends, which come and go: one that started inside the window counts whole,
 * one that exited inside it is lost) over one measured window.
 */
export class CpuWindow {
  private readonly wall0 = performance.now();
  private readonly server0: number[];
  private readonly services0: Map<number, { name: string; seconds: number }>;
  private readonly self0 = process.cpuUsage();

  constructor(
    private readonly serverPids: readonly number[],
    private readonly serviceNames: ReadonlySet<string> = new Set(),
  ) {
    this.server0 = serverPids.map(processCpuSeconds);
    this.services0 = cpuByCommand(serviceNames);
  }

  /** Percent of one core, since the window opened. */
  read(): CpuReading {
    const seconds = (performance.now() - this.wall0) / 1000;
    const percent = (cpuSeconds: number) => (cpuSeconds / seconds) * 100;
    const perServer = this.serverPids.map((pid, i) => processCpuSeconds(pid) - this.server0[i]!);
    const server = distinct(this.serverPids).reduce(
      (sum, pid) => sum + perServer[this.serverPids.indexOf(pid)]!,
      0,
    );
    const servicesCpuPercent: Record<string, number> = {};
    for (const [pid, now] of cpuByCommand(this.serviceNames)) {
      const used = now.seconds - (this.services0.get(pid)?.seconds ?? 0);
      servicesCpuPercent[now.name] = (servicesCpuPercent[now.name] ?? 0) + percent(used);
    }
    const self = process.cpuUsage(this.self0);
    return {
      seconds,
      serverCpuPercent: percent(server),
      perServerCpuPercent: perServer.map(percent),
      generatorCpuPercent: percent((self.user + self.system) / 1e6),
      servicesCpuPercent,
    };
  }
}
