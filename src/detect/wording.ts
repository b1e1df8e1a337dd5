// Numbers in reasons, written the same way everywhere and independent of the machine's locale.

/** 12 → "12", 10080 → "10,080". */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${grouped}` : grouped;
}

/** One decimal: 12 → "12.0", 0.43 → "0.4". */
export function formatRate(value: number): string {
  return value.toFixed(1);
}

/** 0.012 → "1.2%", 0.00004 → "0.004%". */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent >= 10) return `${percent.toFixed(0)}%`;
  if (percent >= 1) return `${percent.toFixed(1)}%`;
  return `${Number(percent.toPrecision(1))}%`;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal (SI) units: 4_100_000 → "4.1 MB", 12_000 → "12 KB", 512 → "512 B". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? value.toFixed(0) : value.toFixed(1);
  return `${digits} ${BYTE_UNITS[unit] ?? 'B'}`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Hour-of-week index (0 = Monday 00:00 UTC) → "Sun 03:00–04:00 UTC". */
export function formatHourOfWeek(hourOfWeek: number): string {
  const day = WEEKDAYS[Math.floor(hourOfWeek / 24)] ?? '?';
  return `${day} ${formatHourOfDay(hourOfWeek % 24)}`;
}

/** 3 → "03:00–04:00 UTC". */
export function formatHourOfDay(hour: number): string {
  const pad = (h: number) => String(h).padStart(2, '0');
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00 UTC`;
}

/**
 * Which baseline a peer-aware finding used: " (compared with peers of type email-assistant)" when
 * the peers' weight is (nearly) all of it, else with the split: "…, 60%, and its own history, 40%)".
 */
export function formatPeerNote(basis: string, peerWeight: number): string {
  if (peerWeight >= 0.95) return ` (compared with ${basis})`;
  const peerPercent = Math.round(peerWeight * 100);
  return ` (compared with ${basis}, ${peerPercent}%, and its own history, ${100 - peerPercent}%)`;
}

/** Text from an event, cut to `maxLength` characters ("…" marks the cut) so one long value cannot swamp a reason. */
export function truncateText(text: string, maxLength = 60): string {
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** At most `limit` names, each at most `maxLength` characters: "a, b, c and 4 more". */
export function formatNameList(names: readonly string[], limit = 5, maxLength = 40): string {
  const shown = names.slice(0, limit).map((name) => truncateText(name, maxLength));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${formatCount(more)} more` : shown.join(', ');
}

/** Durations in the largest whole-ish unit: 90 s → "2 min", 3 h → "3.0 h", 12 days → "12 days". */
export function formatDuration(durationMs: number): string {
  const minutes = durationMs / 60_000;
  if (minutes < 90) return `${Math.max(0, Math.round(minutes))} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  const days = hours / 24;
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
}
