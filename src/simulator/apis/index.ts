import { ConfigError } from '../../errors/ConfigError.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { aimlAudioSimulation, aimlVideoSimulation } from './aimlGeneric.js';
import { aimlLumaSimulation } from './aimlLuma.js';
import { aimlSunoSimulation } from './aimlSuno.js';
import { lumaLabsSimulation } from './lumaLabs.js';
import { sunoApiSimulation } from './sunoApi.js';

/** Every API the simulator plays, one per provider of the registry, by provider name. */
export const simulatedApis: readonly SimulatedApiSpec[] = [
  aimlSunoSimulation,
  aimlLumaSimulation,
  sunoApiSimulation,
  aimlVideoSimulation,
  aimlAudioSimulation,
  lumaLabsSimulation,
];

/** The spec of the API named `name`, or a `ConfigError` listing the names there are. */
export function simulatedApi(name: unknown, field = 'api', apis: readonly SimulatedApiSpec[] = simulatedApis): SimulatedApiSpec {
  const spec = apis.find((api) => api.name === name);
  if (spec === undefined) {
    throw new ConfigError(field, `${JSON.stringify(name)} is not a simulated API; expected one of ${apis.map((api) => api.name).join(', ')}`);
  }
  return spec;
}
