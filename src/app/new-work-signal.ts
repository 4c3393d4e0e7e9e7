/**
 * In-process news that work for the engine arrived (an order was placed), so a worker of this
 * process sleeping between rounds starts one at once. Workers in other processes never hear it:
 * their poll interval (WORKER_POLL_MS) bounds how late they see a new order.
 */
export class NewWorkSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
