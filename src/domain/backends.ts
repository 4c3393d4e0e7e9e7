/**
 * Who delivers an order: the simulator, a person working the operator queue, or an upstream
 * provider speaking the same API. Stored as a name (`upstream:<provider>` for a provider); this
 * module is the one place that reads those names and decides which backend an order belongs to.
 */
export type BackendName = 'simulator' | 'operator' | `upstream:${string}`;

export type Backend =
  | { readonly kind: 'simulator' }
  | { readonly kind: 'operator' }
  | { readonly kind: 'upstream'; readonly provider: string };

const UPSTREAM_PREFIX = 'upstream:';
/** A provider's name as it may appear in a backend name. */
const PROVIDER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function parseBackend(name: string): Backend | undefined {
  if (name === 'simulator' || name === 'operator') return { kind: name };
  const provider = name.startsWith(UPSTREAM_PREFIX) ? name.slice(UPSTREAM_PREFIX.length) : undefined;
  if (provider !== undefined && PROVIDER_NAME.test(provider)) return { kind: 'upstream', provider };
  return undefined;
}

export function isBackendName(name: string): name is BackendName {
  return parseBackend(name) !== undefined;
}

/** The provider of an upstream backend; undefined for the simulator and the operator queue. */
export function providerOf(name: string): string | undefined {
  const backend = parseBackend(name);
  return backend?.kind === 'upstream' ? backend.provider : undefined;
}

export function upstreamBackendName(provider: string): BackendName {
  return `${UPSTREAM_PREFIX}${provider}`;
}

/**
 * The backend that delivers an order: the one fixed on the order when the engine first looked at
 * it (a later change of the service's backend never moves an order in flight), otherwise the
 * service's, and the operator queue when the service is gone (a person can still finish it).
 */
export function effectiveBackend(
  orderBackend: BackendName | null,
  service: { readonly backend: BackendName } | undefined,
): BackendName {
  return orderBackend ?? service?.backend ?? 'operator';
}
