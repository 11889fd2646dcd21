import { Socket, connect } from 'node:net';

/**
 * Two requests of the Kafka protocol that kafkajs 2.2.4 does not offer through its public API:
 * FindCoordinator (v0) and LeaveGroup (v0). A restarted process uses them to take its previous
 * incarnation's members out of its consumer groups, so the new member's join does not wait for the dead
 * one's session to expire (what static membership does in the Java client; kafkajs has none). Decision 0044.
 */
const API_FIND_COORDINATOR = 10;
const API_LEAVE_GROUP = 13;

function str(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function request(apiKey: number, correlationId: number, clientId: string, body: Buffer[]): Buffer {
  const header = Buffer.alloc(8);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(0, 2); // version 0
  header.writeInt32BE(correlationId, 4);
  const payload = Buffer.concat([header, str(clientId), ...body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** Sends one request and resolves with the response body (after size and correlation id). */
function roundTrip(host: string, port: number, frame: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        clearTimeout(timer);
        socket.end();
        resolve(received.subarray(8, 4 + received.readInt32BE(0)));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function parseBroker(broker: string): { host: string; port: number } {
  const at = broker.lastIndexOf(':');
  return { host: broker.slice(0, at), port: Number(broker.slice(at + 1)) };
}

/** The broker coordinating `groupId`, asked of the first bootstrap broker that answers. */
async function findCoordinator(
  brokers: string[],
  clientId: string,
  groupId: string,
  timeoutMs: number,
): Promise<{ host: string; port: number }> {
  let lastError: unknown;
  for (const broker of brokers) {
    const { host, port } = parseBroker(broker);
    try {
      const body = await roundTrip(
        host,
        port,
        request(API_FIND_COORDINATOR, 1, clientId, [str(groupId)]),
        timeoutMs,
      );
      const errorCode = body.readInt16BE(0);
      if (errorCode !== 0) throw new Error(`FindCoordinator answered error ${errorCode}`);
      const hostLength = body.readInt16BE(6);
      return {
        host: body.subarray(8, 8 + hostLength).toString('utf8'),
        port: body.readInt32BE(8 + hostLength),
      };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('no broker answered');
}

/** Removes the given members from `groupId` (each as if it had left cleanly). */
export async function leaveGroupFor(options: {
  brokers: string[];
  clientId: string;
  groupId: string;
  memberIds: string[];
  timeoutMs?: number;
}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const coordinator = await findCoordinator(options.brokers, options.clientId, options.groupId, timeoutMs);
  for (const memberId of options.memberIds) {
    const body = await roundTrip(
      coordinator.host,
      coordinator.port,
      request(API_LEAVE_GROUP, 2, options.clientId, [str(options.groupId), str(memberId)]),
      timeoutMs,
    );
    const errorCode = body.readInt16BE(0);
    // 25 UNKNOWN_MEMBER_ID: it is gone already
    if (errorCode !== 0 && errorCode !== 25) throw new Error(`LeaveGroup answered error ${errorCode}`);
  }
}
