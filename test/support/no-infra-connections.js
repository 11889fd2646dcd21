// Preloaded (node -r) into the embedded process under test: any TCP connection to PostgreSQL, Redis or
// Kafka (their usual ports, or the closed port the test points their variables at) is refused and
// reported on stderr, so the test can assert the embedded mode never opens one.
const net = require('node:net');

const FORBIDDEN = new Set([5432, 6379, 9092, 9093, Number(process.env.FORBIDDEN_PORT || 0)]);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() passes its normalised arguments as one array
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  const port = Number(options.port);
  if (FORBIDDEN.has(port)) {
    process.stderr.write(`FORBIDDEN CONNECTION to ${options.host ?? 'localhost'}:${port}\n`);
    throw new Error(`the embedded mode must not connect to port ${port}`);
  }
  return connect.apply(this, args);
};
