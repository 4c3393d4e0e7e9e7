import type { Config } from '../config.js';

/** How the engine paces itself; built from the config in main.ts, or by tests directly. */
export interface EngineSettings {
  /** How long a claimed order stays with one worker before another may take it over. */
  readonly leaseMs: number;
  /** Orders claimed per round trip. */
  readonly batchSize: number;
  /** The idle wait of the real loop between rounds that found nothing due. */
  readonly pollMs: number;
  readonly simulator: SimulatorSettings;
  readonly upstream: UpstreamSettings;
  /** Between two syncs of a provider's catalog and balance; 0 turns the sync off (tests). */
  readonly providerSyncIntervalMs: number;
}

export interface SimulatorSettings {
  /** From placing the order to the start of delivery. */
  readonly startDelayMs: number;
  /** Between two delivery steps. */
  readonly stepMs: number;
  /** Units per step; 0 means a twentieth of the quantity, so every order takes 20 steps. */
  readonly stepUnits: number;
}

export interface UpstreamSettings {
  /** Per HTTP request to an upstream panel. */
  readonly timeoutMs: number;
  /** Between two status polls of a running upstream order. */
  readonly pollMs: number;
  /** Transient failures are retried with backoff this long before the order ends Error. */
  readonly giveUpMs: number;
  /** First retry delay; it doubles with each consecutive failure, up to `pollMs` × 10. */
  readonly retryBaseMs: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = Object.freeze({
  leaseMs: 60_000,
  batchSize: 50,
  pollMs: 1_000,
  providerSyncIntervalMs: 0,
  simulator: Object.freeze({ startDelayMs: 5_000, stepMs: 3_000, stepUnits: 0 }),
  upstream: Object.freeze({
    timeoutMs: 15_000,
    pollMs: 30_000,
    giveUpMs: 6 * 60 * 60 * 1000,
    retryBaseMs: 5_000,
  }),
});

/**
 * The engine settings of a loaded config. An upstream request may take at most half a lease,
 * so a worker waiting for an `add` still holds the order when the answer comes.
 */
export function engineSettingsFrom(engine: Config['engine']): EngineSettings {
  return Object.freeze({
    leaseMs: engine.leaseMs,
    pollMs: engine.pollMs,
    batchSize: engine.batchSize,
    providerSyncIntervalMs: engine.providerSyncIntervalMs,
    simulator: Object.freeze({
      startDelayMs: engine.simulatorStartDelayMs,
      stepMs: engine.simulatorStepMs,
      stepUnits: engine.simulatorStepUnits,
    }),
    upstream: Object.freeze({
      timeoutMs: Math.min(engine.upstreamTimeoutMs, Math.floor(engine.leaseMs / 2)),
      pollMs: engine.upstreamPollMs,
      giveUpMs: engine.upstreamGiveUpMs,
      retryBaseMs: Math.min(5_000, engine.upstreamPollMs),
    }),
  });
}
