// The process logger: JSON lines on stdout at LOG_LEVEL (pino).
import { pino, type Logger } from 'pino';
import type { Settings } from '../config/settings.js';

export function createLogger(settings: Pick<Settings, 'LOG_LEVEL'>): Logger {
  return pino({ level: settings.LOG_LEVEL, base: { service: 'warden' } });
}
