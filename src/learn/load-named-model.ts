// Finds and loads a learned model by name (`default` → models/default/) or path (anything with a
// slash), for the service (WARDEN_MODEL) and `warden eval --model`. TensorFlow.js is imported only
// here, when a model is actually used, so running without one never loads it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WardenError, describeError } from '../errors.js';
import type { ModelScorer } from './model-scorer.js';

/** The directory a model name or path stands for: a bare name is looked up in the project's models/. */
export function modelDirectory(nameOrPath: string): string {
  return nameOrPath.includes('/') ? resolve(nameOrPath) : fileURLToPath(new URL(`../../models/${nameOrPath}`, import.meta.url));
}

/**
 * Loads the model; a model that is missing, unreadable or built for other features is a
 * CONFIG_INVALID error naming `setting` (e.g. "WARDEN_MODEL") and the directory, plus `hint`.
 */
export async function loadNamedModel(nameOrPath: string, setting: string, hint = '', log?: (message: string) => void): Promise<ModelScorer> {
  const dir = modelDirectory(nameOrPath);
  try {
    const { ModelScorer } = await import('./model-scorer.js');
    return await ModelScorer.load(dir, log);
  } catch (error) {
    throw new WardenError('CONFIG_INVALID', `${setting}: cannot use the model in ${dir}${hint}: ${describeError(error)}`, { cause: error });
  }
}
