/**
 * CPU time and memory of a process, read from /proc (Linux). Used for the server process, which
 * runs separately from the generator, so its figures are its own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/** CPU use of a process and of the generator over one measured window. */
export class CpuWindow {
  private readonly wall0 = performance.now();
  private readonly server0: number;
  private readonly self0 = process.cpuUsage();

  constructor(private readonly serverPid: number) {
    this.server0 = processCpuSeconds(serverPid);
  }

  /** Percent of one core, since the window opened. */
  read(): { seconds: number; serverCpuPercent: number; generatorCpuPercent: number } {
    const seconds = (performance.now() - this.wall0) / 1000;
    const server = processCpuSeconds(this.serverPid) - this.server0;
    const self = process.cpuUsage(this.self0);
    return {
      seconds,
      serverCpuPercent: (server / seconds) * 100,
      generatorCpuPercent: ((self.user + self.system) / 1e6 / seconds) * 100,
    };
  }
}
