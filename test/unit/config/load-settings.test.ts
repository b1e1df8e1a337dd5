import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/load-settings.js';

describe('loadSettings', () => {
  it('applies the documented defaults', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({
      KAFKA_TOPIC: 'agent.audit',
      KAFKA_DLQ_TOPIC: 'agent.audit.dlq',
      KAFKA_GROUP_ID: 'warden',
      CLICKHOUSE_DATABASE: 'warden',
      WARDEN_DATA_DIR: './data',
      HOST: '127.0.0.1',
      PORT: 8080,
      LOG_LEVEL: 'info',
      WARDEN_ALLOW_PRIVATE_WEBHOOKS: false,
    });
    expect(settings.KAFKA_BROKERS).toBeUndefined();
    expect(settings.CLICKHOUSE_URL).toBeUndefined();
  });

  it('splits KAFKA_BROKERS into host:port entries', () => {
    expect(loadSettings({ KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a port number/],
    ['PORT', '70000', /PORT: expected 0\.\.65535/],
    ['KAFKA_BROKERS', 'localhost', /KAFKA_BROKERS: expected host:port/],
    ['CLICKHOUSE_URL', 'not a url', /CLICKHOUSE_URL: expected an http\(s\) URL/],
    ['CLICKHOUSE_DATABASE', 'drop table', /CLICKHOUSE_DATABASE: expected a ClickHouse identifier/],
    ['WARDEN_ALLOW_PRIVATE_WEBHOOKS', 'maybe', /WARDEN_ALLOW_PRIVATE_WEBHOOKS: expected true or false/],
    ['WARDEN_ALERT_THRESHOLD', '1.5', /WARDEN_ALERT_THRESHOLD: expected a number in \(0, 1\]/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
  ])('refuses %s=%s naming the setting', (name, value, message) => {
    expect(() => loadSettings({ [name]: value })).toThrow(message);
  });

  it('never echoes a secret in the error', () => {
    expect(() => loadSettings({ WARDEN_ADMIN_KEY: 'short' })).toThrow(/WARDEN_ADMIN_KEY: .*"\*\*\*"/);
  });

  it('reads a config file and lets the environment win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-config-'));
    const file = join(dir, 'warden.json');
    writeFileSync(file, JSON.stringify({ PORT: 9000, KAFKA_TOPIC: 'from-file' }));
    const settings = loadSettings({ WARDEN_CONFIG: file, PORT: '9100' });
    expect(settings.PORT).toBe(9100);
    expect(settings.KAFKA_TOPIC).toBe('from-file');
  });

  it('refuses unknown keys in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-config-'));
    const file = join(dir, 'warden.json');
    writeFileSync(file, JSON.stringify({ PROT: 9000 }));
    expect(() => loadSettings({ WARDEN_CONFIG: file })).toThrow(/unknown setting PROT/);
  });
});
