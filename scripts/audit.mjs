#!/usr/bin/env node
/**
 * `npm audit --omit=dev` for `npm run check`, when the registry can answer it.
 *
 * - The registry answers the audit: exit 1 if a production dependency has a high or critical
 *   advisory (each is listed), else 0 with a one-line summary.
 * - The registry cannot be reached, does not answer within AUDIT_TIMEOUT_MS (default 20 s), or
 *   offers no audit endpoint (an offline mirror): print plainly that the audit was skipped and why,
 *   exit 0, so the check still works offline.
 * - Anything else (npm itself failing): exit 1 with npm's message.
 *
 * Run it alone with `npm run audit`.
 */
import { spawn } from 'node:child_process';

const TIMEOUT_MS = Number(process.env.AUDIT_TIMEOUT_MS ?? 20_000);
const FAILING = ['high', 'critical'];
/** Errors that mean "could not reach the registry", not "npm is broken" (npm does not always give a code). */
const UNREACHABLE =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|ENETUNREACH|EHOSTUNREACH|ECONNABORTED|EPROTO|CERT_\w+|UNABLE_TO_\w+|SELF_SIGNED\w*)\b|^request to \S+ failed/;

function skipped(reason) {
  console.log(`npm audit skipped: ${reason}. Run \`npm audit --omit=dev\` where the registry answers.`);
  process.exit(0);
}

/** Runs npm audit; resolves its stdout, or null on timeout. */
function runAudit() {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = ['audit', '--omit=dev', '--json', '--fetch-retries=0', `--fetch-timeout=${TIMEOUT_MS}`];
    const child = spawn(npm, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.resume();
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      resolve(null);
    }, TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

const out = await runAudit();
if (out === null) skipped(`the registry did not answer within ${TIMEOUT_MS / 1000} s`);

let report;
try {
  report = JSON.parse(out);
} catch {
  console.error(`npm audit failed: its output is not JSON:\n${out.slice(0, 2000)}`);
  process.exit(1);
}

if (report.error !== undefined) {
  const code = String(report.error.code ?? '');
  const why = report.message ?? report.error.summary ?? code;
  if (report.statusCode !== undefined) {
    skipped(`the registry has no usable audit endpoint (${why || `HTTP ${report.statusCode}`})`);
  }
  if (UNREACHABLE.test(code) || UNREACHABLE.test(why))
    skipped(`the registry could not be reached (${why || code})`);
  console.error(`npm audit failed: ${why || JSON.stringify(report.error)}`);
  process.exit(1);
}

const counts = report.metadata?.vulnerabilities ?? {};
const failing = Object.values(report.vulnerabilities ?? {}).filter((v) => FAILING.includes(v.severity));
if (failing.length > 0) {
  console.error('npm audit: production dependencies with high or critical advisories:');
  for (const v of failing) {
    const titles = (v.via ?? []).filter((via) => typeof via === 'object').map((via) => via.title);
    const fix = v.fixAvailable ? 'fix available' : 'no fix yet';
    const range = v.range ? `, ${v.range}` : '';
    console.error(`- ${v.name} (${v.severity}${range}; ${fix}): ${titles.join('; ') || 'via a dependency'}`);
  }
  process.exit(1);
}
const lower = ['info', 'low', 'moderate'].reduce((sum, level) => sum + (counts[level] ?? 0), 0);
console.log(
  `npm audit: no high or critical advisories in production dependencies${lower > 0 ? ` (${lower} lower; see npm audit --omit=dev)` : ''}.`,
);
