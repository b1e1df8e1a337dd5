// Test-support ClickHouse server: runs the embedded chDB engine in this one process and answers
// the part of ClickHouse's HTTP interface that @clickhouse/client uses, so several Warden
// processes can share one ClickHouse (chDB lets only one process open a data directory) and
// tests can inject storage faults. Owns the HTTP-to-engine mapping, the fault switch and the
// engine's lifetime; nothing in src/ imports it.
//
//   node --import tsx test/support/clickhouse-http-server.ts --path DIR [--port 0] [--host 127.0.0.1]
//
// Prints `LISTENING <port>` on stdout once it accepts requests; SIGTERM or SIGINT closes the
// engine and exits. Control endpoint, not reachable through SQL:
//   POST /__fault {"refuseInsertsForMs": N}   every INSERT fails for N ms (0 clears)
//
// Each request runs on its own chDB connection to the shared data directory (opening one costs
// ~0.2 ms), so URL settings, `database` and query parameters stay scoped to the request as on a
// server, and requests run concurrently; a `session_id` keeps one connection across requests.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { parseArgs, promisify } from 'node:util';
import zlib from 'node:zlib';
import { Session, type RawInsertFormat } from 'chdb';

/**
 * Engine arguments of every connection. chDB is clickhouse-local, which accepts bare
 * expressions without SELECT (implicit_select); a server refuses them, and code tested here
 * has to run against a server.
 */
const connectionArgs = ['--implicit_select=0'];

/** ClickHouse's http_max_uri_size default; @clickhouse/client sends query parameters in the URL. */
const maxUrlBytes = 1 << 20;
/** The engine's max_query_size default, which also bounds our `SET param_…` statement. */
const engineMaxQueryBytes = 262_144;
const keepAliveTimeoutMs = 10_000;
const shutdownGraceMs = 5_000;
const defaultSessionTimeoutSeconds = 60;

/** URL parameters the server reads itself; every other one, bar `param_*`, is a setting. */
const httpParams = new Set([
  'query',
  'query_id',
  'database',
  'default_format',
  'session_id',
  'session_timeout',
  'session_check',
  'close_session',
  'user',
  'password',
  'quota_key',
  'role',
  'compress',
  'decompress',
  'stacktrace',
  'buffer_size',
  'wait_end_of_query',
  'client_protocol_version',
]);

/** chDB's raw-insert whitelist: these bodies go to the engine as bytes, not as a JS string. */
const rawInsertFormats: ReadonlySet<string> = new Set<RawInsertFormat>([
  'JSONEachRow',
  'JSONCompactEachRow',
  'CSV',
  'CSVWithNames',
  'TSV',
  'TabSeparated',
  'TSVWithNames',
  'TabSeparatedWithNames',
]);
const isRawInsertFormat = (format: string | undefined): format is RawInsertFormat => format !== undefined && rawInsertFormats.has(format);
const identifier = '[A-Za-z0-9_]+';
/** What @clickhouse/client's insert() sends: `INSERT INTO [db.]t [(a, b)] FORMAT F`. */
const clientInsertStatement = new RegExp(
  `^\\s*INSERT\\s+INTO\\s+(${identifier}(?:\\.${identifier})?)\\s*` + `(?:\\(\\s*(${identifier}(?:\\s*,\\s*${identifier})*)\\s*\\))?\\s*FORMAT\\s+(\\w+)\\s*$`,
  'i',
);
/** Inline data reaches the engine as a string, which would corrupt binary formats. */
const binaryFormat = /^(RowBinary|Native|Parquet|Arrow|ORC|Avro|Protobuf|CapnProto|MsgPack|BSONEachRow|Npy)/i;
const startsWithInsert = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*INSERT\b/i;
const trailingFormat = /\bFORMAT\s+(\w+)\s*;?\s*$/i;
const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Error type → HTTP status, from ClickHouse's src/Server/HTTP/exceptionCodeToHTTPStatus.cpp. */
const httpStatusByErrorType = new Map<string, number>([
  ['REQUIRED_PASSWORD', 401],
  ...['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED'].map((type): [string, number] => [type, 403]),
  ...[
    'BAD_ARGUMENTS',
    'CANNOT_COMPILE_REGEXP',
    'CANNOT_PARSE_TEXT',
    'CANNOT_PARSE_ESCAPE_SEQUENCE',
    'CANNOT_PARSE_QUOTED_STRING',
    'CANNOT_PARSE_DATE',
    'CANNOT_PARSE_DATETIME',
    'CANNOT_PARSE_NUMBER',
    'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
    'CANNOT_PARSE_IPV4',
    'CANNOT_PARSE_IPV6',
    'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
    'CANNOT_PARSE_UUID',
    'DUPLICATE_COLUMN',
    'ILLEGAL_COLUMN',
    'UNKNOWN_ELEMENT_IN_AST',
    'UNKNOWN_TYPE_OF_AST_NODE',
    'THERE_IS_NO_COLUMN',
    'TOO_DEEP_AST',
    'TOO_BIG_AST',
    'UNEXPECTED_AST_STRUCTURE',
    'SYNTAX_ERROR',
    'INCORRECT_DATA',
    'TYPE_MISMATCH',
    'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  ].map((type): [string, number] => [type, 400]),
  ...[
    'UNKNOWN_TABLE',
    'UNKNOWN_FUNCTION',
    'UNKNOWN_IDENTIFIER',
    'UNKNOWN_TYPE',
    'UNKNOWN_STORAGE',
    'UNKNOWN_DATABASE',
    'UNKNOWN_SETTING',
    'UNKNOWN_DIRECTION_OF_SORTING',
    'UNKNOWN_AGGREGATE_FUNCTION',
    'UNKNOWN_FORMAT',
    'UNKNOWN_DATABASE_ENGINE',
    'UNKNOWN_TYPE_OF_QUERY',
    'UNKNOWN_ROLE',
  ].map((type): [string, number] => [type, 404]),
  ['QUERY_IS_TOO_LARGE', 413],
  ['NOT_IMPLEMENTED', 501],
  ['SOCKET_TIMEOUT', 503],
  ['CANNOT_OPEN_FILE', 503],
  ['CANNOT_SCHEDULE_TASK', 503],
  ['HTTP_LENGTH_REQUIRED', 411],
  ['TIMEOUT_EXCEEDED', 408],
  ['UNSUPPORTED_MEDIA_TYPE', 415],
]);

/** A failure in the server's words: `Code: N. DB::Exception: <message>. (TYPE) (version …)`. */
class ClickHouseHttpError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  /** Engine errors already read `Code: N. DB::Exception: … (TYPE)`; keep their text as is. */
  static from(error: unknown): ClickHouseHttpError {
    if (error instanceof ClickHouseHttpError) return error;
    const text = error instanceof Error ? error.message : String(error);
    const shaped = /^Code: (\d+)\. DB::Exception: ([\s\S]*)$/.exec(text);
    if (!shaped) return new ClickHouseHttpError(1001, 'STD_EXCEPTION', text);
    const type = [...text.matchAll(/\(([A-Z][A-Z0-9_]{2,})\)/g)].at(-1)?.[1] ?? 'UNKNOWN_EXCEPTION';
    return new ClickHouseHttpError(Number(shaped[1]), type, (shaped[2] ?? '').trimEnd());
  }

  get httpStatus(): number {
    return httpStatusByErrorType.get(this.type) ?? 500;
  }

  body(engineVersion: string): string {
    const typed = this.message.endsWith(`(${this.type})`) ? this.message : `${this.message}. (${this.type})`;
    return `Code: ${this.code}. DB::Exception: ${typed} (version ${engineVersion} (chdb))\n`;
  }
}

type ResponseEncoding = 'gzip' | 'deflate' | 'br';

interface SessionRequest {
  id: string;
  timeoutSeconds: number;
  /** session_check=1: fail instead of opening a session that does not exist. */
  mustExist: boolean;
  closeAfter: boolean;
}

/** One statement as the server receives it, after URL, multipart and body are taken apart. */
interface StatementRequest {
  sql: string;
  /** Body bytes after a statement given in the URL: the INSERT data. */
  data: Buffer | undefined;
  readonly: boolean;
  database: string | undefined;
  defaultFormat: string;
  settings: Map<string, string>;
  queryParams: Map<string, string>;
  session: SessionRequest | undefined;
}

/** What went to the client: body plus the X-ClickHouse-Summary counters chDB reports. */
interface StatementResult {
  body: Buffer;
  format: string;
  summary: Record<string, string>;
}

/** A session_id's connection; busy while one of its statements runs, as a server locks it. */
interface HeldSession {
  connection: Session;
  busy: boolean;
  expiry?: NodeJS.Timeout;
}

interface EngineFacts {
  version: string;
  timezone: string;
  httpCompressionByDefault: boolean;
  zlibLevelByDefault: number;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotliDecompress = promisify(zlib.brotliDecompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const brotliCompress = promisify(zlib.brotliCompress);

class ClickHouseHttpServer {
  private refuseInsertsUntilMs = 0;
  private readonly sessions = new Map<string, HeldSession>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly displayName = hostname();

  constructor(
    private readonly dataDir: string,
    private readonly engine: EngineFacts,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const done = this.route(req, res).catch((error: unknown) => {
      process.stderr.write(`clickhouse-http-server: unhandled ${String(error)}\n`);
      res.destroy();
    });
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  closeSessions(): void {
    for (const id of [...this.sessions.keys()]) this.dropSession(id);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/ping' || (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query'))) {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    if (url.pathname === '/__fault') return this.fault(req, res);
    if (url.pathname !== '/') {
      req.resume();
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' }).end(`There is no handle ${url.pathname}\n`);
      return;
    }
    return this.statement(req, res, url);
  }

  private async statement(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const queryId = url.searchParams.get('query_id') || randomUUID();
    const headers: Record<string, string> = {
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Server-Display-Name': this.displayName,
      'X-ClickHouse-Timezone': this.engine.timezone,
    };
    const encoding = this.responseEncoding(req, url.searchParams);
    const requestedLevel = Number(url.searchParams.get('http_zlib_compression_level') ?? this.engine.zlibLevelByDefault);
    const level = Number.isInteger(requestedLevel) ? Math.min(9, Math.max(1, requestedLevel)) : 3;
    try {
      const request = parseStatementRequest(req, url, await readRequestBody(req));
      const result = await this.execute(request);
      headers['X-ClickHouse-Format'] = result.format;
      headers['X-ClickHouse-Summary'] = JSON.stringify(result.summary);
      headers['Content-Type'] = contentTypeOf(result.format);
      await send(res, 200, result.body, headers, encoding, level);
    } catch (error) {
      const failure = ClickHouseHttpError.from(error);
      headers['X-ClickHouse-Exception-Code'] = String(failure.code);
      headers['Content-Type'] = 'text/plain; charset=UTF-8';
      await send(res, failure.httpStatus, Buffer.from(failure.body(this.engine.version)), headers, encoding, level);
    }
  }

  private async execute(request: StatementRequest): Promise<StatementResult> {
    const isInsert = startsWithInsert.test(request.sql);
    if (isInsert && Date.now() < this.refuseInsertsUntilMs) {
      throw new ClickHouseHttpError(242, 'TABLE_IS_READ_ONLY', 'Table is in readonly mode (injected fault)');
    }
    const session = request.session;
    if (session === undefined) {
      const connection = new Session(this.dataDir, { connectionArgs });
      try {
        return await this.run(connection, request, isInsert);
      } finally {
        connection.close();
      }
    }
    const held = this.acquireSession(session);
    try {
      return await this.run(held.connection, request, isInsert);
    } finally {
      held.busy = false;
      if (session.closeAfter) this.dropSession(session.id);
      else held.expiry = setTimeout(() => this.dropSession(session.id), session.timeoutSeconds * 1000).unref();
    }
  }

  private async run(connection: Session, request: StatementRequest, isInsert: boolean): Promise<StatementResult> {
    await applyRequestContext(connection, request);
    const { sql, data, defaultFormat } = request;
    if (isInsert) {
      const clientShape = clientInsertStatement.exec(sql);
      const inputFormat = clientShape?.[3] ?? trailingFormat.exec(sql)?.[1];
      if (inputFormat && binaryFormat.test(inputFormat)) {
        throw notImplemented(`Binary input format ${inputFormat}`);
      }
      // A server stores nothing for an empty body; the embedded engine calls it an error.
      if (inputFormat && (data === undefined || isBlank(data))) return insertResult(defaultFormat, 0, 0, 0);
      // chDB's raw insert hands the body over as bytes and reports the rows written.
      if (clientShape?.[1] && data && isRawInsertFormat(inputFormat)) {
        const written = await connection.insert({
          table: clientShape[1],
          columns: clientShape[2]?.split(',').map((column) => column.trim()),
          format: inputFormat,
          values: data,
        });
        return insertResult(defaultFormat, written.rowsWritten, written.bytesWritten, written.elapsed);
      }
    }
    // As on a server, a statement in the URL and a body form one text: the body is its data.
    const text = data ? `${sql}\n${data.toString('utf8')}` : sql;
    const result = await connection.queryAsync(text, { format: defaultFormat });
    const bytes = result.bytes();
    return {
      body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      format: isInsert ? defaultFormat : (trailingFormat.exec(sql)?.[1] ?? defaultFormat),
      // chDB reports result counters only; read and (for inline inserts) written rows are unknown.
      summary: {
        result_rows: String(result.rowsRead),
        result_bytes: String(result.bytesRead),
        elapsed_ns: elapsedNs(result.elapsed),
      },
    };
  }

  private acquireSession(session: SessionRequest): HeldSession {
    let held = this.sessions.get(session.id);
    if (held === undefined) {
      if (session.mustExist) throw new ClickHouseHttpError(372, 'SESSION_NOT_FOUND', `Session ${session.id} not found`);
      held = { connection: new Session(this.dataDir, { connectionArgs }), busy: false };
      this.sessions.set(session.id, held);
    }
    if (held.busy) {
      throw new ClickHouseHttpError(373, 'SESSION_IS_LOCKED', `Session ${session.id} is locked by a concurrent client`);
    }
    held.busy = true;
    clearTimeout(held.expiry);
    return held;
  }

  private dropSession(id: string): void {
    const held = this.sessions.get(id);
    if (held === undefined) return;
    clearTimeout(held.expiry);
    this.sessions.delete(id);
    held.connection.close();
  }

  /** The server compresses when enable_http_compression is on and the client accepts a codec. */
  private responseEncoding(req: IncomingMessage, params: URLSearchParams): ResponseEncoding | undefined {
    const enabled = params.get('enable_http_compression');
    if (!(enabled === null ? this.engine.httpCompressionByDefault : isTrue(enabled))) return undefined;
    const accepted = String(req.headers['accept-encoding'] ?? '')
      .split(',')
      .map((entry) => entry.split(';')[0]?.trim().toLowerCase());
    return accepted.find((codec): codec is ResponseEncoding => codec === 'gzip' || codec === 'deflate' || codec === 'br');
  }

  private async fault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return answer(405, { error: 'POST {"refuseInsertsForMs": N}' });
    let refuseInsertsForMs: unknown;
    try {
      ({ refuseInsertsForMs } = JSON.parse((await readRequestBody(req)).toString('utf8')) as { refuseInsertsForMs?: unknown });
    } catch {
      return answer(400, { error: 'body must be JSON {"refuseInsertsForMs": N}' });
    }
    if (typeof refuseInsertsForMs !== 'number' || !Number.isFinite(refuseInsertsForMs) || refuseInsertsForMs < 0) {
      return answer(400, { error: 'refuseInsertsForMs must be a number >= 0' });
    }
    this.refuseInsertsUntilMs = refuseInsertsForMs === 0 ? 0 : Date.now() + refuseInsertsForMs;
    answer(200, {
      refuseInsertsUntil: refuseInsertsForMs === 0 ? null : new Date(this.refuseInsertsUntilMs).toISOString(),
    });
  }
}

async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  switch (encoding) {
    case '':
    case 'identity':
      return raw;
    case 'gzip':
    case 'x-gzip':
      return gunzip(raw);
    case 'deflate':
      return inflate(raw);
    case 'br':
      return brotliDecompress(raw);
    default:
      // zstd needs Node 22.15's zlib, and @clickhouse/client refuses it on older Node anyway.
      throw new ClickHouseHttpError(36, 'BAD_ARGUMENTS', `Unknown Content-Encoding ${encoding}; expected gzip, deflate or br`);
  }
}

/** Splits a request into statement, data, settings and parameters the way the server does. */
function parseStatementRequest(req: IncomingMessage, url: URL, body: Buffer): StatementRequest {
  const params = new Map(url.searchParams);
  const isMultipart = /^multipart\/form-data/i.test(String(req.headers['content-type'] ?? ''));
  // @clickhouse/client sends long query parameters as form fields (use_multipart_params).
  if (isMultipart) {
    for (const [name, value] of multipartFields(body, String(req.headers['content-type']))) params.set(name, value);
  }

  const urlQuery = url.searchParams.get('query');
  let sql: string;
  let data: Buffer | undefined;
  if (req.method === 'GET' || isMultipart) sql = params.get('query') ?? '';
  else if (urlQuery !== null) {
    sql = urlQuery;
    data = body.length > 0 ? body : undefined;
  } else sql = body.toString('utf8');
  if (sql.trim() === '') throw new ClickHouseHttpError(62, 'SYNTAX_ERROR', 'Empty query');

  if (isTrue(params.get('compress') ?? '0') || isTrue(params.get('decompress') ?? '0')) {
    throw notImplemented('ClickHouse-native compression (compress/decompress=1)');
  }

  const settings = new Map<string, string>();
  const queryParams = new Map<string, string>();
  for (const [name, value] of params) {
    if (name.startsWith('param_')) queryParams.set(name.slice('param_'.length), value);
    else if (!httpParams.has(name)) settings.set(name, value);
  }
  const sessionId = params.get('session_id');
  return {
    sql,
    data,
    // A server runs GET requests with readonly=2: reads and SET only.
    readonly: req.method === 'GET',
    database: params.get('database') || undefined,
    defaultFormat: params.get('default_format') || 'TabSeparated',
    settings,
    queryParams,
    session: sessionId
      ? {
          id: sessionId,
          timeoutSeconds: Number(params.get('session_timeout') ?? defaultSessionTimeoutSeconds),
          mustExist: isTrue(params.get('session_check') ?? '0'),
          closeAfter: isTrue(params.get('close_session') ?? '0'),
        }
      : undefined,
  };
}

/** Form fields of a multipart/form-data body; file parts would be external tables. */
function multipartFields(body: Buffer, contentType: string): Map<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new ClickHouseHttpError(36, 'BAD_ARGUMENTS', 'multipart/form-data without a boundary');
  const fields = new Map<string, string>();
  for (const part of body
    .toString('utf8')
    .split(`--${boundary[1] ?? boundary[2]}`)
    .slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    const partHeaders = headerEnd < 0 ? '' : part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(partHeaders)?.[1];
    if (name === undefined) continue;
    if (/filename=/i.test(partHeaders)) {
      throw notImplemented('External tables (multipart file parts)');
    }
    fields.set(name, part.slice(headerEnd + 4).replace(/\r\n$/, ''));
  }
  return fields;
}

/**
 * Gives the connection the request's default database, query parameters and settings. On a
 * fresh per-request connection they vanish with it; on a session_id connection they stay.
 */
async function applyRequestContext(connection: Session, request: StatementRequest): Promise<void> {
  const exec = async (statement: string): Promise<void> => {
    await connection.queryAsync(statement, { format: 'TabSeparated' });
  };
  if (request.database) await exec(`USE ${quoteIdentifier(request.database)}`);
  if (request.queryParams.size > 0) {
    // `SET param_x = '…'` binds like the server's param_x URL parameter: the literal's content
    // is the parameter's text, parsed by the placeholder's type ({x:Array(String)} and all).
    const assignments = [...request.queryParams].map(([name, value]) => {
      if (!plainName.test(name)) throw new ClickHouseHttpError(36, 'BAD_ARGUMENTS', `Invalid query parameter name ${name}`);
      return `param_${name} = ${quoteString(value)}`;
    });
    const statement = `SET ${assignments.join(', ')}`;
    // On a server parameters do not count against max_query_size; here they are SQL text.
    const oversized = statement.length > engineMaxQueryBytes / 2;
    if (oversized) await exec(`SET max_query_size = ${statement.length * 2}`);
    await exec(statement);
    if (oversized) await exec('SET max_query_size = DEFAULT');
  }
  const settings = new Map(request.settings);
  if (request.readonly && !settings.has('readonly')) settings.set('readonly', '2');
  if (settings.size > 0) {
    // The server takes every URL setting as text; so does SET with a string literal.
    const assignments = [...settings].map(([name, value]) => {
      if (!plainName.test(name)) throw new ClickHouseHttpError(115, 'UNKNOWN_SETTING', `Unknown setting '${name}'`);
      return `${name} = ${quoteString(value)}`;
    });
    await exec(`SET ${assignments.join(', ')}`);
  }
}

function notImplemented(what: string): ClickHouseHttpError {
  return new ClickHouseHttpError(48, 'NOT_IMPLEMENTED', `${what} is not implemented by this test server`);
}

function insertResult(format: string, rowsWritten: number, bytesWritten: number, elapsedSeconds: number): StatementResult {
  const rows = String(rowsWritten);
  const bytes = String(bytesWritten);
  return {
    body: Buffer.alloc(0),
    format,
    // The server counts an INSERT's written rows as its result rows too.
    summary: {
      written_rows: rows,
      written_bytes: bytes,
      result_rows: rows,
      result_bytes: bytes,
      elapsed_ns: elapsedNs(elapsedSeconds),
    },
  };
}

async function send(
  res: ServerResponse,
  status: number,
  body: Buffer,
  headers: Record<string, string>,
  encoding: ResponseEncoding | undefined,
  level: number,
): Promise<void> {
  if (res.destroyed) return;
  let payload = body;
  if (encoding !== undefined) {
    payload = encoding === 'br' ? await brotliCompress(body) : await (encoding === 'gzip' ? gzip : deflate)(body, { level });
    headers['Content-Encoding'] = encoding;
  }
  res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) }).end(payload);
}

function contentTypeOf(format: string): string {
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8';
  if (/^(TabSeparated|TSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent';
  return 'text/plain; charset=UTF-8';
}

function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

function isTrue(value: string): boolean {
  return value === '1' || value.toLowerCase() === 'true';
}

function isBlank(data: Buffer): boolean {
  for (const byte of data) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  return true;
}

function elapsedNs(seconds: number): string {
  return String(Math.max(0, Math.round(seconds * 1e9)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      path: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  if (!values.path) throw new Error('usage: clickhouse-http-server.ts --path DIR [--port N] [--host H]');
  const dataDir = values.path;

  // Held open for the process's life: the engine stays loaded between per-request connections.
  const primary = new Session(dataDir, { connectionArgs });
  const facts = (
    await primary.queryAsync("SELECT version(), timezone(), getSetting('enable_http_compression'), getSetting('http_zlib_compression_level')", {
      format: 'JSONCompactEachRow',
    })
  ).json<[string, string, unknown, unknown]>();
  const app = new ClickHouseHttpServer(dataDir, {
    version: facts[0],
    timezone: facts[1],
    httpCompressionByDefault: isTrue(String(facts[2])),
    zlibLevelByDefault: Number(facts[3]),
  });

  const server = createServer({ maxHeaderSize: maxUrlBytes }, (req, res) => app.handle(req, res));
  server.keepAliveTimeout = keepAliveTimeoutMs;

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    // Closing a connection under a running statement aborts the engine: let statements finish.
    await Promise.race([app.drain(), new Promise((resolve) => setTimeout(resolve, shutdownGraceMs))]);
    app.closeSessions();
    primary.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(values.port), values.host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected listen address ${String(address)}`);
  process.stdout.write(`LISTENING ${address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`clickhouse-http-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
