// Which TensorFlow.js backend runs the learned model: the native one (`@tensorflow/tfjs-node`,
// the 'tensorflow' backend) when it is installed, else WebAssembly from the wasm package's own
// files on disk (never fetched over the network), else the pure-JS 'cpu' kernels. Chosen once
// per process; every later call answers the same.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type ModelBackend = 'tensorflow' | 'wasm' | 'cpu';

/** tfjs-node is an optionalDependency: its installer downloads libtensorflow, which can fail. */
const NATIVE_PACKAGE = '@tensorflow/tfjs-node';
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

let selected: Promise<ModelBackend> | undefined;

/**
 * Selects (once) and returns the backend; `log` hears which one and why the faster ones were
 * passed over. Never throws: 'cpu' always works, only slower.
 */
export function selectBackend(log: (message: string) => void = () => {}): Promise<ModelBackend> {
  selected ??= chooseBackend(log);
  return selected;
}

async function chooseBackend(log: (message: string) => void): Promise<ModelBackend> {
  const passedOver: string[] = [];
  try {
    // A variable specifier: the package is optional, so the type checker must not require it.
    const nativePackage: string = NATIVE_PACKAGE;
    await import(nativePackage); // registers the 'tensorflow' backend as it loads
    if (await tf.setBackend('tensorflow')) {
      await tf.ready();
      log(`model backend: tensorflow (${NATIVE_PACKAGE})`);
      return 'tensorflow';
    }
    passedOver.push(`${NATIVE_PACKAGE} loaded but its backend did not start`);
  } catch (error) {
    passedOver.push(`${NATIVE_PACKAGE} not importable (${firstLine(error)})`);
  }
  try {
    const wasm = await import(WASM_PACKAGE);
    // The package's main file sits in dist/ next to the .wasm binaries; a path on disk makes
    // the Emscripten loader read them with fs instead of fetching from a CDN.
    const distFolder = dirname(createRequire(import.meta.url).resolve(WASM_PACKAGE));
    wasm.setWasmPaths(`${distFolder}${sep}`);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      log(`model backend: wasm (${passedOver.join('; ')})`);
      return 'wasm';
    }
    passedOver.push(`${WASM_PACKAGE} did not start`);
  } catch (error) {
    passedOver.push(`${WASM_PACKAGE} failed (${firstLine(error)})`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  log(`model backend: cpu, the slowest (${passedOver.join('; ')})`);
  return 'cpu';
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
