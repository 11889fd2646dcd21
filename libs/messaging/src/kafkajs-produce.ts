/**
 * kafkajs 2.2.4 builds a produce request in layers: an `Encoder` per record and per header, varints as
 * `Buffer.from([...])`, 64-bit values as BigInt `Long`s, then the record batch, the partition, the topic,
 * the request body and the framed request each copy everything below them into a buffer of their own
 * that grows by doubling — six or seven copies of every record. For a fan-out that sends 180 MB of
 * events, that is most of what producing costs (decision 0013).
 *
 * This writes the same request in one pass: every size is computed first, then each field goes once into
 * one buffer that leaves room in front for the request header, which the framing (`frameRequest`, in
 * place of kafkajs's `protocol/request.js`) writes there instead of copying the body behind it. Record
 * batches are uncompressed, the only kind the platform sends; a compressed batch, or a message kafkajs
 * would encode in some other way (a value that is neither text nor bytes, a timestamp that is not a
 * whole number), goes to kafkajs's own encoder. The bytes are the same (kafkajs-produce.spec.ts), and
 * the broker checks every batch's CRC (kafkajs-speedups integration test).
 *
 * Installed through Node's module cache before kafkajs loads (kafkajs-install.ts); under Jest, or in a
 * process that loaded kafkajs first, kafkajs keeps its own.
 */
import Module from 'node:module';
import { crc32c } from './kafkajs-crc32c';

export const KAFKAJS_PRODUCE_V3_MODULE = 'kafkajs/src/protocol/requests/produce/v3/request.js';
export const KAFKAJS_REQUEST_MODULE = 'kafkajs/src/protocol/request.js';
export const KAFKAJS_GROUP_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition.js';
const KAFKAJS_ENCODER_MODULE = 'kafkajs/src/protocol/encoder.js';
const KAFKAJS_LONG_MODULE = 'kafkajs/src/utils/long.js';

type Bytes = Buffer | string | null | undefined;

interface Message {
  key?: Bytes;
  value?: Bytes;
  headers?: Record<string, Bytes | Bytes[]> | null;
  timestamp?: number | string | null;
}

interface PartitionData {
  partition: number;
  firstSequence?: number;
  messages: Message[];
}

interface TopicData {
  topic: string;
  partitions: PartitionData[];
}

interface LongValue {
  getHighBits(): number;
  getLowBits(): number;
}

interface LongClass {
  fromInt(value: number): LongValue;
  fromValue(value: unknown): LongValue;
}

interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: LongValue;
  producerEpoch?: number;
  compression?: number;
  topicData: TopicData[];
}

interface EncoderInstance {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  size(): number;
  /** Set on a body written by `encodeProduce`: bytes left free in front of it for the request header. */
  headroom?: number;
}

interface EncoderClass {
  new (initialSize?: number): EncoderInstance;
}

interface ProduceRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  expectResponse: () => boolean;
  encode: () => Promise<EncoderInstance>;
}

type ProduceModule = (args: ProduceArgs) => ProduceRequest;

/** Room in front of a produce body for the header: size, api key and version, correlation id, client id. */
const HEADROOM = 512;
const BATCH_HEAD = 61; // first offset 8, length 4, leader epoch 4, magic 1, crc 4, attributes … count 40
const TRANSACTIONAL = 16;

function varIntSize(value: number): number {
  let z = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (z >= 0x80) {
    bytes += 1;
    z >>>= 7;
  }
  return bytes;
}

/** Zig-zag of a safe integer as a non-negative number (64-bit semantics, without BigInt). */
const zigZag64 = (value: number) => (value >= 0 ? value * 2 : -value * 2 - 1);

function varLongSize(value: number): number {
  let z = zigZag64(value);
  let bytes = 1;
  while (z >= 0x80) {
    bytes += 1;
    z = Math.floor(z / 0x80);
  }
  return bytes;
}

const byteSize = (value: Buffer | string) =>
  typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;

const isBytes = (value: unknown): value is Buffer | string =>
  typeof value === 'string' || Buffer.isBuffer(value);

/** One message's parts, measured; undefined when kafkajs would encode it some other way. */
interface MeasuredRecord {
  key: Buffer | string | null;
  keySize: number;
  value: Buffer | string | null;
  valueSize: number;
  headers: { key: string; keySize: number; value: Buffer | string; valueSize: number }[];
  timestampDelta: number;
  bodySize: number;
}

interface MeasuredPartition {
  partition: number;
  firstSequence: number;
  firstTimestamp: number | string;
  maxTimestamp: number | string;
  records: MeasuredRecord[];
  bodySize: number;
}

function measurePartition(data: PartitionData): MeasuredPartition | undefined {
  const { messages } = data;
  const dateNow = Date.now();
  // as kafkajs: the given timestamps in (string) sort order, or now
  const given = messages.map((m) => m.timestamp).filter((t) => t != null) as (number | string)[];
  given.sort();
  const firstTimestamp = given.length === 0 ? dateNow : given[0];
  const maxTimestamp = given.length === 0 ? dateNow : given[given.length - 1];
  const records: MeasuredRecord[] = new Array(messages.length);
  let bodySize = 40;
  for (let i = 0; i < messages.length; i += 1) {
    const m = messages[i];
    const key = m.key ?? null;
    const value = m.value ?? null;
    if ((key !== null && !isBytes(key)) || (value !== null && !isBytes(value))) return undefined;
    if (m.headers === null || (m.headers !== undefined && typeof m.headers !== 'object')) return undefined;
    const timestampDelta = ((m.timestamp || dateNow) as number) - (firstTimestamp as number);
    if (!Number.isSafeInteger(timestampDelta) || Math.abs(timestampDelta) >= 2 ** 51) return undefined;
    const headers: MeasuredRecord['headers'] = [];
    let headersSize = 0;
    if (m.headers) {
      for (const headerKey of Object.keys(m.headers)) {
        const given = m.headers[headerKey];
        for (const headerValue of Array.isArray(given) ? given : [given]) {
          if (!isBytes(headerValue)) return undefined;
          const keySize = Buffer.byteLength(headerKey, 'utf8');
          const valueSize = byteSize(headerValue);
          headers.push({ key: headerKey, keySize, value: headerValue, valueSize });
          headersSize += varIntSize(keySize) + keySize + varIntSize(valueSize) + valueSize;
        }
      }
    }
    headersSize += varIntSize(headers.length);
    const keySize = key === null ? -1 : byteSize(key);
    const valueSize = value === null ? -1 : byteSize(value);
    const recordBody =
      1 +
      varLongSize(timestampDelta) +
      varIntSize(i) +
      varIntSize(keySize) +
      Math.max(0, keySize) +
      varIntSize(valueSize) +
      Math.max(0, valueSize) +
      headersSize;
    records[i] = { key, keySize, value, valueSize, headers, timestampDelta, bodySize: recordBody };
    bodySize += varIntSize(recordBody) + recordBody;
  }
  return {
    partition: data.partition,
    firstSequence: data.firstSequence ?? 0,
    firstTimestamp,
    maxTimestamp,
    records,
    bodySize,
  };
}

/** Writes into one buffer, front to back; every method advances the offset by what it wrote. */
class Writer {
  offset: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    private readonly long?: LongClass,
  ) {
    this.offset = start;
  }

  int8(value: number) {
    this.buf.writeInt8(value, this.offset);
    this.offset += 1;
  }

  int16(value: number) {
    this.buf.writeInt16BE(value, this.offset);
    this.offset += 2;
  }

  int32(value: number) {
    this.buf.writeInt32BE(value, this.offset);
    this.offset += 4;
  }

  int64(value: unknown) {
    const long = this.long!.fromValue(value);
    this.buf.writeInt32BE(long.getHighBits(), this.offset);
    this.buf.writeInt32BE(long.getLowBits(), this.offset + 4);
    this.offset += 8;
  }

  string(value: string | null) {
    if (value == null) return this.int16(-1);
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    this.offset += this.buf.write(value, this.offset, length, 'utf8');
  }

  uvarint(unsigned: number) {
    let z = unsigned;
    while (z >= 0x80) {
      this.buf[this.offset++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    this.buf[this.offset++] = z;
  }

  varint(value: number) {
    this.uvarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  bytes(value: Buffer | string, size: number) {
    if (typeof value === 'string') this.buf.write(value, this.offset, size, 'utf8');
    else value.copy(this.buf, this.offset);
    this.offset += size;
  }
}

function stringSize(value: string | null | undefined): number {
  return value == null ? 2 : 2 + Buffer.byteLength(value, 'utf8');
}

/**
 * The produce request (v3 and later: v4–v7 reuse v3's body) as kafkajs builds it, written in one pass;
 * `fallback` is kafkajs's own, for what this does not write.
 */
export function fastProduceRequest(
  fallback: ProduceModule,
  Encoder: EncoderClass,
  Long: LongClass,
): ProduceModule {
  return (args) => {
    const request = fallback(args);
    if ((args.compression ?? 0) !== 0) return request;
    return { ...request, encode: () => encodeProduce(args, request, Encoder, Long) };
  };
}

async function encodeProduce(
  args: ProduceArgs,
  request: ProduceRequest,
  Encoder: EncoderClass,
  Long: LongClass,
): Promise<EncoderInstance> {
  const transactionalId = args.transactionalId ?? null;
  const producerId = args.producerId ?? Long.fromInt(-1);
  const producerEpoch = args.producerEpoch ?? 0;
  const topics: { topic: string; partitions: MeasuredPartition[] }[] = [];
  let size = stringSize(transactionalId) + 2 + 4 + 4;
  for (const data of args.topicData) {
    const partitions: MeasuredPartition[] = [];
    size += stringSize(data.topic) + 4;
    for (const p of data.partitions) {
      const measured = measurePartition(p);
      if (!measured) return request.encode();
      partitions.push(measured);
      size += 4 + 4 + BATCH_HEAD - 40 + measured.bodySize;
    }
    topics.push({ topic: data.topic, partitions });
  }
  const buf = Buffer.allocUnsafe(HEADROOM + size);
  const w = new Writer(buf, HEADROOM, Long);
  w.string(transactionalId);
  w.int16(args.acks);
  w.int32(args.timeout);
  w.int32(topics.length);
  for (const { topic, partitions } of topics) {
    w.string(topic);
    w.int32(partitions.length);
    for (const p of partitions) {
      const batchLength = 4 + 1 + 4 + p.bodySize;
      w.int32(p.partition);
      w.int32(8 + 4 + batchLength);
      w.int64(0);
      w.int32(batchLength);
      w.int32(0); // partition leader epoch
      w.int8(2); // magic
      const crcAt = w.offset;
      w.offset += 4;
      const bodyAt = w.offset;
      w.int16(transactionalId ? TRANSACTIONAL : 0); // attributes: no compression, create time
      w.int32(p.records.length - 1);
      w.int64(p.firstTimestamp);
      w.int64(p.maxTimestamp);
      w.int64(producerId);
      w.int16(producerEpoch);
      w.int32(p.firstSequence);
      w.int32(p.records.length);
      for (let i = 0; i < p.records.length; i += 1) {
        const r = p.records[i];
        w.varint(r.bodySize);
        w.int8(0);
        w.uvarint(zigZag64(r.timestampDelta));
        w.varint(i);
        w.varint(r.keySize);
        if (r.key !== null) w.bytes(r.key, r.keySize);
        w.varint(r.valueSize);
        if (r.value !== null) w.bytes(r.value, r.valueSize);
        w.varint(r.headers.length);
        for (const h of r.headers) {
          w.varint(h.keySize);
          w.bytes(h.key, h.keySize);
          w.varint(h.valueSize);
          w.bytes(h.value, h.valueSize);
        }
      }
      buf.writeUInt32BE(crc32c(buf.subarray(bodyAt, w.offset)) >>> 0, crcAt);
    }
  }
  if (w.offset !== buf.length)
    throw new Error(`produce request: wrote ${w.offset - HEADROOM} of ${size} bytes`);
  const body = new Encoder(1);
  body.buf = buf.subarray(HEADROOM);
  body.offset = size;
  body.headroom = HEADROOM;
  // the framing may write its header into the room in front
  Object.defineProperty(body, 'backing', { value: buf });
  return body;
}

interface RequestArgs {
  correlationId: number;
  clientId: string | null;
  request: { apiKey: number; apiVersion: number; encode: () => Promise<EncoderInstance> };
}

/**
 * kafkajs's request framing (size, api key, api version, correlation id, client id, then the body), the
 * same bytes: written in front of a produce body in the room it left, or else with the body copied once
 * into a buffer of the exact size (kafkajs copies it twice, into buffers that grow by doubling).
 */
export function frameRequest(Encoder: EncoderClass) {
  return async ({ correlationId, clientId, request }: RequestArgs): Promise<EncoderInstance> => {
    const payload = await request.encode();
    const headerSize = 2 + 2 + 4 + stringSize(clientId);
    const bodySize = payload.size();
    const backing = (payload as { backing?: Buffer }).backing;
    const framed = new Encoder(1);
    let w: Writer;
    if (backing && payload.headroom !== undefined && payload.headroom >= 4 + headerSize) {
      const start = payload.headroom - 4 - headerSize;
      framed.buf = backing.subarray(start, payload.headroom + bodySize);
      w = new Writer(framed.buf, 0);
    } else {
      framed.buf = Buffer.allocUnsafe(4 + headerSize + bodySize);
      w = new Writer(framed.buf, 0);
      payload.buffer.copy(framed.buf, 4 + headerSize);
    }
    w.int32(headerSize + bodySize);
    w.int16(request.apiKey);
    w.int16(request.apiVersion);
    w.int32(correlationId);
    w.string(clientId);
    framed.offset = 4 + headerSize + bodySize;
    return framed;
  };
}

interface GroupArgs<M> {
  topic: string;
  partitionMetadata: unknown[];
  messages: M[];
  partitioner: (args: { topic: string; partitionMetadata: unknown[]; message: M }) => number;
}

/**
 * kafkajs's grouping of a send's messages by partition, the same result in linear time: kafkajs copies a
 * partition's whole array to add each message (`[...current, message]`), quadratic in a request's size.
 */
export function groupMessagesPerPartition<M>({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupArgs<M>): Record<string, M[]> {
  const result: Record<string, M[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

/**
 * Puts these in Node's module cache before kafkajs loads them: the framing (required by kafkajs's
 * connection when kafkajs loads), the grouping by partition (by its producer) and the produce request
 * (at the first produce). The encoder,
 * and kafkajs's CRC-32C if the fast one is to be used in the fallback too, must be installed before.
 */
export function installFastProduce(): 'installed' | 'already' | 'too-late' {
  const framingPath = require.resolve(KAFKAJS_REQUEST_MODULE);
  const producePath = require.resolve(KAFKAJS_PRODUCE_V3_MODULE);
  const groupPath = require.resolve(KAFKAJS_GROUP_MODULE);
  const cached = [framingPath, producePath, groupPath].map((path) => require.cache[path]);
  if (cached.some((m) => m !== undefined)) {
    const ours = (m?: NodeJS.Module) => (m?.exports as { fast?: boolean } | undefined)?.fast === true;
    return cached.every(ours) ? 'already' : 'too-late';
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const Encoder = require(KAFKAJS_ENCODER_MODULE) as EncoderClass;
  const Long = require(KAFKAJS_LONG_MODULE) as LongClass;
  const stockProduce = require(producePath) as ProduceModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const put = (path: string, exports: object) => {
    const entry = new Module(path);
    entry.filename = path;
    entry.loaded = true;
    entry.exports = Object.assign(exports, { fast: true });
    require.cache[path] = entry;
  };
  put(producePath, fastProduceRequest(stockProduce, Encoder, Long));
  put(framingPath, frameRequest(Encoder));
  put(groupPath, (args: GroupArgs<unknown>) => groupMessagesPerPartition(args));
  return 'installed';
}
