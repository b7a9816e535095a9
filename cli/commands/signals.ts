/** Resolves at the next SIGINT or SIGTERM (Ctrl-C, or a polite kill), then stops listening for both. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * The stop signals of a long-running command, listened for from its first line: the first asks
 * it to stop gracefully (drain), the second to stop now. Taken early, so that a Ctrl-C while it
 * starts drains once it has started instead of killing it half-way (with no listener, Node exits
 * at the first SIGINT).
 */
export function stopSignals(): { first: Promise<NodeJS.Signals>; second: Promise<NodeJS.Signals> } {
  const first = nextStopSignal();
  return { first, second: first.then(() => nextStopSignal()) };
}
