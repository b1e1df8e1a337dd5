// The one place environment variables are read. A config file (WARDEN_CONFIG, JSON with the same
// keys) may set any setting; the environment wins. A bad value stops start-up naming the setting.
import { readFileSync } from 'node:fs';
import { WardenError } from '../errors.js';
import { SETTING_NAMES, type Settings, settingsSchema } from './settings.js';

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const fromFile = env.WARDEN_CONFIG ? readConfigFile(env.WARDEN_CONFIG) : {};
  const raw: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = env[name] ?? fromFile[name];
    // An empty variable means "unset" (docker-compose writes `KAFKA_BROKERS=` for off).
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(settings)');
      const given = raw[name] === undefined ? '' : ` (got ${JSON.stringify(name.includes('PASSWORD') || name.includes('KEY') ? '***' : raw[name])})`;
      return `${name}: ${issue.message}${given}`;
    });
    throw new WardenError('CONFIG_INVALID', `invalid setting ${problems.join('; ')}`);
  }
  return parsed.data;
}

function readConfigFile(path: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WardenError('CONFIG_FILE_UNREADABLE', `WARDEN_CONFIG: cannot read ${path} as JSON`, { cause: error });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new WardenError('CONFIG_FILE_UNREADABLE', `WARDEN_CONFIG: ${path} must hold a JSON object of settings`);
  }
  const known = new Set<string>(SETTING_NAMES);
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!known.has(key)) throw new WardenError('CONFIG_INVALID', `WARDEN_CONFIG: unknown setting ${key} in ${path}`);
    settings[key] = String(value);
  }
  return settings;
}
