/**
 * How a host process ends: whatever ends it (Ctrl+C, a terminal closing, `kill`, systemd or a
 * supervisor stopping the process group, or a bug that throws), the embedded cluster's tasks
 * are stopped and the store is closed first, so no task is left running under PID 1 and no
 * write is cut in half.
 *
 * A signal sent to the `npm start` process group reaches the host twice (once directly, once
 * forwarded by scripts/start.mjs): every later signal waits for the same stop instead of
 * killing the process half-way, which is what Node's default does once a `once` handler has
 * fired.
 */

export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ProcessLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
}

export interface Lifecycle {
  /** Resolves with the exit code once a stop was asked for and has finished. */
  readonly stopped: Promise<number>;
  /** Stops now (the host's own reason), as a signal would. */
  stop(code: number): Promise<number>;
}

/**
 * Installs the handlers on `proc`. `close` stops the tasks and the store; it runs once, and
 * the process exits with 0 after a signal, 1 after an uncaught error, or 1 if `close` itself
 * fails. An error thrown while closing does not start a second close.
 */
export function handleStops(proc: ProcessLike, close: () => Promise<void>, log: (msg: string, err?: unknown) => void): Lifecycle {
  let stopping: Promise<number> | null = null;
  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((r) => (resolveStopped = r));

  const stop = (code: number): Promise<number> => {
    stopping ??= close().then(
      () => code,
      (err: unknown) => {
        log('stopping the console failed', err);
        return 1;
      },
    );
    void stopping.then(resolveStopped);
    return stopping;
  };

  for (const signal of stopSignals) {
    proc.on(signal, () => {
      if (stopping) log(`${signal}: still stopping the cluster's tasks`);
      void stop(0);
    });
  }
  const fatal = (what: string) => (err: unknown) => {
    log(`${what}: stopping the cluster's tasks before exiting`, err);
    void stop(1);
  };
  proc.on('uncaughtException', fatal('uncaught exception'));
  proc.on('unhandledRejection', fatal('unhandled promise rejection'));
  return { stopped, stop };
}
