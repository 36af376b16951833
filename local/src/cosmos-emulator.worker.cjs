// Runs the Cosmos DB emulator on a thread of its own, so the suite and the emulator use both cores.
const { parentPort, workerData } = require('node:worker_threads');
const { createHttpServer } = require('@vercel/cosmosdb-server');

const server = createHttpServer();
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
