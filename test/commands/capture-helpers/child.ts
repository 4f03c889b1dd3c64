/** Test helper: a capture entry script in a child process, its JSON-lines stdout and its end. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** Lines written on stdout so far. */
  lines: string[];
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** Resolves with the first stdout line for which `match` is true (rejects when the process ends first). */
  waitForLine: (match: (line: string) => boolean, timeoutMs?: number) => Promise<string>;
}

/** Runs `node --import tsx SCRIPT ARGS…` from the repository root, optionally under `wrapper` (e.g. setpriv …). */
export function startChild(script: string, args: string[], wrapper: string[] = []): Child {
  const command = [...wrapper, process.execPath, '--import', 'tsx', script, ...args];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters: Array<() => void> = [];
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    waiters.splice(0).forEach((wake) => wake());
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  const waitForLine = async (match: (line: string) => boolean, timeoutMs = 20_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found !== undefined) return found;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`child ended before the expected line; stderr: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`no expected line within ${timeoutMs} ms; stdout: ${lines.join('\n')}; stderr: ${stderr}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { process: child, lines, stderr: () => stderr, exited, waitForLine };
}

/** Test teardown: a child a failed assertion left running must not keep the test process alive. */
export function stopIfRunning(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
