// Routes kafkajs's own log lines into Warden's pino logger, so broker trouble shows up in the one
// log stream operators read. kafkajs's INFO is chatty (every join and stop): it goes to debug.
import { type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

export function kafkaLogLevelFor(log: Logger): logLevel {
  if (log.isLevelEnabled('debug')) return logLevel.DEBUG;
  if (log.isLevelEnabled('warn')) return logLevel.WARN;
  return logLevel.ERROR;
}

export function kafkaLogCreator(log: Logger) {
  const kafkaLog = log.child({ component: 'kafkajs' });
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      if (level === logLevel.ERROR) kafkaLog.error(fields, message);
      else if (level === logLevel.WARN) kafkaLog.warn(fields, message);
      else kafkaLog.debug(fields, message);
    };
}
