/**
 * Owns a name on a D-Bus bus from the test process, for as long as the returned socket stays
 * open: the command-line tools here (gdbus, dbus-send, busctl) cannot request names and python3
 * has no D-Bus binding, so this speaks the wire protocol itself (SASL EXTERNAL, then Hello and
 * RequestName as little-endian method calls). Just enough for a test: replies are not read,
 * the bus handles the two calls in order.
 */
import { connect, type Socket } from 'node:net';

/** A little-endian D-Bus message writer that keeps alignment from the message start. */
class Writer {
  private readonly bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  align(n: number): this {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
    return this;
  }
  byte(b: number): this {
    this.bytes.push(b & 0xff);
    return this;
  }
  uint32(v: number): this {
    this.align(4);
    for (let i = 0; i < 4; i++) this.bytes.push((v >>> (8 * i)) & 0xff);
    return this;
  }
  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.uint32(b.length);
    for (const x of b) this.bytes.push(x);
    return this.byte(0);
  }
  signature(s: string): this {
    this.byte(s.length);
    for (const c of Buffer.from(s, 'ascii')) this.bytes.push(c);
    return this.byte(0);
  }
  setUint32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }
  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/** One method call to the bus daemon; `body` is a string and a uint32 (signature "su") or none. */
function busCall(serial: number, member: string, body?: { name: string; flags: number }): Buffer {
  const w = new Writer();
  w.byte(0x6c).byte(1).byte(0).byte(1); // 'l', METHOD_CALL, no flags, version 1
  const bodyLengthAt = w.length;
  w.uint32(0).uint32(serial);
  const fieldsLengthAt = w.length;
  w.uint32(0);
  w.align(8);
  const fieldsStart = w.length;
  const field = (code: number, type: 's' | 'o' | 'g', value: string) => {
    w.align(8).byte(code).signature(type);
    if (type === 'g') w.signature(value);
    else w.string(value);
  };
  field(1, 'o', '/org/freedesktop/DBus');
  field(2, 's', 'org.freedesktop.DBus');
  field(3, 's', member);
  field(6, 's', 'org.freedesktop.DBus');
  if (body) field(8, 'g', 'su');
  w.setUint32(fieldsLengthAt, w.length - fieldsStart);
  w.align(8);
  const bodyStart = w.length;
  if (body) w.string(body.name).uint32(body.flags);
  w.setUint32(bodyLengthAt, w.length - bodyStart);
  return w.buffer();
}

/** The socket path of a `unix:path=...` or `unix:abstract=...` bus address. */
function socketPath(address: string): string {
  const unix = address.split(';').find((a) => a.startsWith('unix:'));
  const params = new Map(
    (unix ?? '')
      .slice(5)
      .split(',')
      .map((kv) => kv.split('=') as [string, string]),
  );
  const path = params.get('path');
  if (path) return decodeURIComponent(path);
  const abstract = params.get('abstract');
  if (abstract) return `\0${decodeURIComponent(abstract)}`;
  throw new Error(`no unix socket in the bus address ${address}`);
}

/** Connects to the bus at `address` and requests `name`; close the socket to release it. */
export function ownBusName(address: string, name: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath(address));
    sock.once('error', reject);
    let auth = '';
    sock.on('connect', () => {
      const uid = Buffer.from(String(process.getuid?.() ?? 0), 'ascii').toString('hex');
      sock.write(`\0AUTH EXTERNAL ${uid}\r\n`);
    });
    const onData = (d: Buffer) => {
      auth += d.toString('latin1');
      if (!auth.includes('\r\n')) return;
      sock.off('data', onData);
      if (!auth.startsWith('OK ')) {
        sock.destroy();
        reject(new Error(`the bus refused authentication: ${auth.trim()}`));
        return;
      }
      sock.write('BEGIN\r\n');
      sock.write(busCall(1, 'Hello'));
      // 4: DBUS_NAME_FLAG_DO_NOT_QUEUE.
      sock.write(busCall(2, 'RequestName', { name, flags: 4 }));
      // Replies are left unread: the socket only has to stay open.
      sock.on('data', () => undefined);
      resolve(sock);
    };
    sock.on('data', onData);
  });
}
