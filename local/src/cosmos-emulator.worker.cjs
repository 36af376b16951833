// Runs the Cosmos DB emulator on a thread of its own, so the suite and the emulator use both cores.
//
// The emulator keeps documents in memory. With a write-ahead log (workerData.walPath), every write that
// succeeds (create, upsert, replace, patch, delete of a document, and each write of a batch) is appended to the log and flushed to disk
// (fdatasync) before its answer goes back: what a client saw acknowledged survives a SIGKILL. Writes that
// arrive together share one flush.
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { Readable } = require('node:stream');
const { createHttpServer } = require('@vercel/cosmosdb-server');
const { buffer } = require('node:stream/consumers');
const { once } = require('node:events');

// Keep-alive: the client's agent reuses its sockets instead of connecting anew for every request.
const server = createHttpServer({ keepAlive: true });
server.keepAliveTimeout = 60_000;
const wal = workerData.walPath ? fs.openSync(workerData.walPath, 'a') : undefined;
// Off while the suite replays snapshot and log at start (that replay is already on disk); on once it says so.
let logging = false;

const documentPath = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs(?:\/([^/?]+))?\/?(?:\?.*)?$/;

/** What a request writes, or undefined for reads and queries. */
function writeOf(req) {
  const match = documentPath.exec(req.url ?? '');
  if (!match) return undefined;
  const [, , container, id] = match;
  const query = req.headers['x-ms-documentdb-isquery'] === 'true' || String(req.headers['content-type'] ?? '').startsWith('application/query+json');
  if (req.method === 'POST' && !id && !query && req.headers['x-ms-cosmos-is-batch-request'])
    return { container: decodeURIComponent(container), op: 'batch' };
  if (req.method === 'POST' && !id && !query) return { container: decodeURIComponent(container), op: 'put' };
  if ((req.method === 'PUT' || req.method === 'PATCH') && id) return { container: decodeURIComponent(container), op: 'put' };
  if (req.method === 'DELETE' && id) {
    const partitionKey = req.headers['x-ms-documentdb-partitionkey'];
    return {
      container: decodeURIComponent(container),
      op: 'delete',
      id: decodeURIComponent(id),
      partitionKey: partitionKey ? JSON.parse(partitionKey) : [],
    };
  }
  return undefined;
}

let queued = [];
let flushing = false;

function flush() {
  if (flushing || queued.length === 0) return;
  flushing = true;
  const batch = queued;
  queued = [];
  fs.writeFile(wal, batch.map((entry) => entry.line).join(''), (writeError) => {
    const settle = (error) => {
      flushing = false;
      for (const entry of batch) entry.done(error);
      flush();
    };
    if (writeError) settle(writeError);
    else fs.fdatasync(wal, settle);
  });
}

function logged(entries, done) {
  if (entries.length === 0) return done();
  queued.push({ line: entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), done });
  flush();
}

/** The writes of a (transactional or bulk) batch that succeeded: its operations, paired with their results by position. */
function batchWrites(container, operations, partitionKey, results) {
  return operations.flatMap((operation, index) => {
    const result = results[index];
    if (!result || result.statusCode < 200 || result.statusCode > 299) return [];
    const type = String(operation.operationType).toLowerCase();
    if (type === 'delete') {
      const own = operation.partitionKey;
      const pk = own === undefined ? partitionKey : typeof own === 'string' ? JSON.parse(own) : own;
      return [{ c: container, op: 'delete', id: operation.id, pk }];
    }
    if (['create', 'upsert', 'replace', 'patch'].includes(type) && result.resourceBody)
      return [{ c: container, op: 'put', doc: result.resourceBody }];
    return [];
  });
}

/** The request again, its body already read: the emulator's handler reads it as it would the original. */
function replayed(req, body) {
  return Object.assign(Readable.from([body]), { headers: req.headers, url: req.url, method: req.method });
}

if (wal !== undefined) {
  const [handle] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', async (req, res) => {
    const write = logging ? writeOf(req) : undefined;
    if (!write) return handle(req, res);
    // A batch's operations are in its request, its outcomes in its answer: both are needed to log it.
    const requestBody = write.op === 'batch' ? await buffer(req) : undefined;
    const end = res.end.bind(res);
    res.end = (body, ...rest) => {
      if (res.statusCode < 200 || res.statusCode > 299) return end(body, ...rest);
      const partitionKey = req.headers['x-ms-documentdb-partitionkey'];
      const entries =
        write.op === 'batch'
          ? batchWrites(write.container, JSON.parse(String(requestBody)), partitionKey ? JSON.parse(partitionKey) : [], JSON.parse(String(body)))
          : write.op === 'put'
            ? [{ c: write.container, op: 'put', doc: JSON.parse(String(body)) }]
            : [{ c: write.container, op: 'delete', id: write.id, pk: write.partitionKey }];
      logged(entries, (error) => {
        if (!error) return end(body, ...rest);
        // Not on disk: the client must not take it as done.
        res.statusCode = 503;
        end(JSON.stringify({ code: 'ServiceUnavailable', message: `The write could not be made durable: ${error.message}` }));
      });
      return res;
    };
    handle(requestBody === undefined ? req : replayed(req, requestBody), res);
  });
}

const withoutSystemFields = (document) => Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));

/**
 * Writes every document of the containers into a snapshot at `path`, one JSON line each, from memory, and flushes
 * it to disk. Read over HTTP a page at a time, the same documents cost the square of their number: the emulator
 * reads and sorts the whole container for every page.
 */
async function writeSnapshot({ snapshot: path, databaseId, containerIds }) {
  // Exposed by patches/@vercel+cosmosdb-server: `npm install` applies it.
  if (!server.account) throw new Error('the emulator does not expose its documents: run npm install to apply patches/');
  const out = fs.createWriteStream(path);
  const database = server.account.database(databaseId);
  for (const c of containerIds) {
    const collection = database.read() && database.collection(c);
    if (!collection || !collection.read()) continue;
    for (const item of collection.documents._data.values()) {
      if (!out.write(`${JSON.stringify({ c, op: 'put', doc: withoutSystemFields(item.read()) })}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  const handle = await fs.promises.open(path, 'r+');
  await handle.sync();
  await handle.close();
}

server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (typeof message === 'object' && message.snapshot) {
    writeSnapshot(message).then(
      () => parentPort.postMessage({ snapshot: message.snapshot }),
      (error) => parentPort.postMessage({ snapshot: message.snapshot, error: error.message }),
    );
  }
  if (message === 'log-writes') {
    logging = true;
    parentPort.postMessage('logging-writes');
  }
  if (message === 'close') {
    server.closeAllConnections();
    server.close(() => {
      if (wal !== undefined) fs.closeSync(wal);
      process.exit(0);
    });
  }
});
