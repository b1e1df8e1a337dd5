import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/learn/backend.js';

describe('selectBackend', () => {
  it('falls back to wasm from the package on disk when tfjs-node is not installed, once per process', async () => {
    const heard: string[] = [];
    const backend = await selectBackend((message) => heard.push(message));
    expect(backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(heard).toEqual([expect.stringMatching(/^model backend: wasm \(@tensorflow\/tfjs-node not importable/)]);
    expect(await selectBackend((message) => heard.push(message))).toBe('wasm');
    expect(heard).toHaveLength(1);
  });
});
