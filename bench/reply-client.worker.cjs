/*
 * The bench's mail server, on a thread of its own: posts replies to the suite's inbound route, `inFlight` at a
 * time, each slot held until the suite says that reply's triage finished. In Azure the mail comes from outside
 * the Functions host, so the client's own work (building requests, reading answers) is kept off the thread the
 * suite runs on, where it would be counted as triage.
 *
 * Messages in: { type: 'reply', id, url, body } for each reply, { type: 'finished', id } once its triage is
 * done. Messages out: { id, sentAt, status } with `sentAt` on the clock both threads share
 * (performance.timeOrigin + performance.now()).
 */
const { parentPort, workerData } = require('node:worker_threads');

const { inFlight } = workerData;
const waiting = [];
const finishing = new Map();
let busy = 0;

function next() {
  while (busy < inFlight && waiting.length > 0) {
    busy += 1;
    void post(waiting.shift()).finally(() => {
      busy -= 1;
      next();
    });
  }
}

async function post({ id, url, body }) {
  const finished = new Promise((resolve) => finishing.set(id, resolve));
  const sentAt = performance.timeOrigin + performance.now();
  let status;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.arrayBuffer();
    status = response.status;
  } catch (error) {
    status = String(error);
  }
  parentPort.postMessage({ id, sentAt, status });
  // A reply refused is no triage in flight: its slot is free at once.
  if (status === 202) await finished;
  finishing.delete(id);
}

parentPort.on('message', (message) => {
  if (message.type === 'reply') {
    waiting.push(message);
    next();
  } else if (message.type === 'finished') {
    finishing.get(message.id)?.();
  }
});
