import type { ServiceSpec } from "../core/index.js";
import { suggest } from "../core/index.js";
import { ApiError } from "./api-error.js";
import type { OrchestrateBody } from "./orchestrate-schema.js";

/** A service an orchestration calls, and whether its failure may be tolerated. */
export interface SelectedService {
  readonly name: string;
  readonly spec: ServiceSpec;
  readonly optional: boolean;
}

/**
 * The services a request asks for, plus every service they depend on (a dependency is
 * required when any required service needs it). Throws ApiError NO_SERVICES (400) for an
 * empty request, UNKNOWN_SERVICE (400), and TIER_FORBIDDEN (403) for a service the caller's
 * tier may not use.
 */
export function selectServices(
  body: OrchestrateBody,
  services: Readonly<Record<string, ServiceSpec>>,
  tier: string | undefined,
): SelectedService[] {
  const required = [...(body.services ?? []), ...(body.requiredServices ?? [])];
  const optional = body.optionalServices ?? [];
  if (required.length + optional.length === 0) {
    const message =
      "The request names no service: list at least one in services, requiredServices or optionalServices (GET /api/v1/services lists them).";
    throw new ApiError(400, "NO_SERVICES", message);
  }
  const chosen = new Map<string, boolean>();
  const visit = (name: string, isOptional: boolean): void => {
    const spec = lookup(name, services);
    const before = chosen.get(name);
    if (before === false || before === isOptional) return;
    chosen.set(name, isOptional);
    for (const dependency of spec.dependsOn ?? []) visit(dependency, isOptional);
  };
  for (const name of required) visit(name, false);
  for (const name of optional) if (!chosen.has(name)) visit(name, true);
  const selected = [...chosen].map(([name, isOptional]) => ({
    name,
    spec: lookup(name, services),
    optional: isOptional,
  }));
  for (const { name, spec } of selected) checkTier(name, spec, tier);
  return selected;
}

function lookup(name: string, services: Readonly<Record<string, ServiceSpec>>): ServiceSpec {
  const spec = Object.hasOwn(services, name) ? services[name] : undefined;
  if (spec !== undefined) return spec;
  const guess = suggest(name, Object.keys(services));
  const hint =
    guess === undefined ? " GET /api/v1/services lists them." : ` Did you mean "${guess}"?`;
  throw new ApiError(400, "UNKNOWN_SERVICE", `No service "${name}" is configured.${hint}`);
}

function checkTier(name: string, spec: ServiceSpec, tier: string | undefined): void {
  if (spec.tiers === undefined || (tier !== undefined && spec.tiers.includes(tier))) return;
  const yours = tier === undefined ? "a token without a tier claim" : `tier "${tier}"`;
  throw new ApiError(
    403,
    "TIER_FORBIDDEN",
    `Service "${name}" is open to tiers ${spec.tiers.map((t) => `"${t}"`).join(", ")}, not to ${yours}.`,
  );
}
