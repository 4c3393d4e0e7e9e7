/** The part of pino the engine uses; tests pass a recorder. Never give it a secret. */
export interface EngineLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: EngineLogger = { info() {}, warn() {}, error() {} };
